"""Minutes of meetings and their action items (moved from correspondence)."""
