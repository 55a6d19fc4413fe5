"""Each agent's private iCalendar feed of their agenda (issue #17, part 5)."""
