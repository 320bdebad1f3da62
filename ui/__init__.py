"""The desktop studio (PySide6). Talks to the engine only through `studio.services`."""
