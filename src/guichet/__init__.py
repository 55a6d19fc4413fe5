"""Guichet: front and back office for public services."""

__version__ = "0.1.0"
