"""The correspondence API: letters, incoming mail, minutes (one module each), on one
router; importing the modules registers their operations in this order."""

from . import letters, mail, minutes
from .common import router

__all__ = ["letters", "mail", "minutes", "router"]
