"""Persisted jobs: the queue, the job context backends report through, and the executors."""
