"""Edits as Command objects with do/undo, and a History with transactions and a saved point."""

from .base import Command, CompositeCommand, History, SetFields

__all__ = ["Command", "CompositeCommand", "History", "SetFields"]
