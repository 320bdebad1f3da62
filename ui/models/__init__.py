"""Qt item models over what `studio.services` and the project's repositories return."""
