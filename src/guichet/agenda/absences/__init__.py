"""Absences and presence of agents (issue #17, part 4)."""
