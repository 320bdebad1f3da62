"""The project store: SQLite through SQLAlchemy, content-addressed media, Alembic migrations."""
