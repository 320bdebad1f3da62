"""Microfilm Studio: the engine. Turns a screenplay into a finished short film with local AI.

This package never imports Qt; the desktop app in `ui` drives it through `studio.services`.
"""

__version__ = "0.1.0"
