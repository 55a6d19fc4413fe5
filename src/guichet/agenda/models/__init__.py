"""The agenda's models, one module per part (ARCHITECTURE.md, "agenda").

- `appointments`: what a service offers citizens (slots in its opening hours) and the
  appointments booked in them.
- `meetings`: meetings, their participants and answers; rooms and equipment and their
  bookings (never two at once on one resource); events with registrations.
- `absences`: agents' absences; `feeds`: each agent's private calendar feed token;
  `minutes`: minutes of a meeting and their action items (moved from correspondence).
"""
