"""The service level pages, one module per subject: SLA definitions and their sign-off, the
support groups' OLAs, business calendars, and the compliance report."""
