"""Rendering: video I/O (encode, decode), frames, looks, composition, the storyboard PDF."""
