"""The correspondence screens: letters, incoming mail, minutes (one module each)."""

from . import common, letters, mail, minutes

__all__ = ["common", "letters", "mail", "minutes"]
