"""Rendering: the film's frames, looks, composition, the pipeline, the storyboard PDF."""
