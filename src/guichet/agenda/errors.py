"""The agenda's errors, with stable codes (STYLE.md §2). Each part adds its codes in
its own block below."""

from __future__ import annotations

from enum import StrEnum


class Code(StrEnum):
    # appointments

    # meetings, resources, events

    # absences, feeds, minutes
    pass
