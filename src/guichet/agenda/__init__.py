"""The agenda: citizens' appointments, meetings, rooms and equipment, events,
absences and presence, each agent's private iCalendar feed, and the minutes of
meetings (issue #17)."""
