"""Reporting indicator values: which organization reports which indicator for which units, the entry of
values (by hand, by spreadsheet, by a department's system through the management API) as drafts that are
published with a revision for every change, and the freshness report of who is late."""
