"""The approvals tables."""
