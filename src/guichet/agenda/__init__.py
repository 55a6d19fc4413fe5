"""The agenda (issue #17): citizens' appointments, meetings with invitations, rooms and
equipment, events, agents' absences and each agent's private calendar feed."""
