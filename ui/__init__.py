"""The desktop studio (PySide6). Talks to the engine only through `studio.services`."""

from ui.refcount_guard import protect_singletons

protect_singletons()
