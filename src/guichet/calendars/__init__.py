"""Business calendars: a team's opening hours and closing days, and deadlines
counted in them (`business_time`)."""
