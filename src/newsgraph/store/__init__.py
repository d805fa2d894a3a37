"""The knowledge store: SQLite (default) and PostgreSQL backends, migrations, queries.

    db.py           one DB-API layer for both backends (``open_store(url)``, ``Store``)
    schema.py       named, versioned migrations recorded in ``schema_migrations``
    writer.py       the one writer: an article whole or not at all, versions, rejects
    ingest.py       read -> skip known -> extract -> store, for ``newsgraph ingest``
    reader.py       stored rows back to ``newsgraph.model.Article``
    corrections.py  user merges and splits of global entities
    queries.py      the query API (timeline, quotes, deals, entity_profile, search, ...)
    browse.py       search, article lists, entity lists, graph (re-exported by queries)
    import_rows.py  loading a JSONL export back (``newsgraph.export.import_jsonl``)
    cli.py          the click commands; ``register(main)`` adds them to ``newsgraph``

Cross-article resolution (global entities, deals) lives in ``newsgraph.resolve``.
"""
