"""Reports: dashboards per role, the seeds' lists, exports and data quality.

The top of the domain (ARCHITECTURE.md): it reads every app through its selectors
and the access policy, and keeps no counter of its own; every figure is an aggregate
query over the source rows.
"""
