"""Meetings, rooms and equipment, events."""
