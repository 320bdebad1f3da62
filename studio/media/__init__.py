"""Media I/O and pixel maths below generation and the renderer: decoding, encoding, camera moves.

Backends and the renderer both use these; nothing here knows about jobs, timelines or the queue.
"""
