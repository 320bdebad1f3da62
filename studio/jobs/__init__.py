"""Persisted jobs: the queue, the runner and the executors.

The JobContext they hand to a backend lives in `studio.progress`.
"""
