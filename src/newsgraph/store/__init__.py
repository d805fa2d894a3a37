"""The knowledge store: SQLite (default) and PostgreSQL backends, migrations, queries."""
