"""The change pages (IT staff only; anyone else is answered 404): the list and the change
(``records``), what is done on a change's page (``actions``), the approvals inbox and a
board's agenda (``boards``), and the calendar with its iCalendar feed (``calendar``)."""
