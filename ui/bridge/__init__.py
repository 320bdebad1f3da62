"""Where the engine meets Qt: job events become signals on queued connections, the project's
History becomes a QUndoStack, and slow service calls run on worker threads."""
