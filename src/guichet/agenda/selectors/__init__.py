"""Reads of the agenda, one module per part (STYLE.md §2)."""
