"""Dashboards per role (issue #19): the supervisor's and the payment office's.

`supervisor` and `payments` build the figures, `sources` holds the rows each
figure counts (through the access policy), `rows` lists them for a drill-down,
`common` the shared shapes and SQL helpers. See docs/reports-dashboards.md.
"""
