"""Generation backends, found by name through `studio.generation.backends.base.registry`."""
