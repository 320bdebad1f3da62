"""Timeline editing, assembly and interchange: pure edits (edit.py) and the OTIO cut (otio.py)."""
