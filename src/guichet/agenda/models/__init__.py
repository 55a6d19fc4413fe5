"""The agenda's models, one module per part."""

from __future__ import annotations

from .minutes import ActionItem, ActionStatus, Minutes

__all__ = ["ActionItem", "ActionStatus", "Minutes"]
