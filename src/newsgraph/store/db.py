"""One DB-API layer over both backends: SQLite (standard library) and PostgreSQL (psycopg 3).

Code above this module writes SQL once, with ``?`` placeholders and portable types; the
``Store`` handle rewrites the placeholders for psycopg and hides the two connection APIs.
"""
from __future__ import annotations

import re
import sqlite3
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable, Iterator, Sequence

from ..errors import StoreError

NG301_CANNOT_OPEN = "NG301"       # the database cannot be opened or created
NG302_TOO_NEW = "NG302"           # the database was made by a newer newsgraph (unknown migration)
NG303_WRITE_FAILED = "NG303"      # an article could not be written (rolled back)
NG304_BAD_CORRECTION = "NG304"    # an entity merge/split names nothing that can be changed

_PG = re.compile(r"^postgres(ql)?://")


def is_postgres(url: str | Path) -> bool:
    """True for a ``postgresql://`` (or ``postgres://``) DSN, False for an SQLite file path."""
    return bool(_PG.match(str(url)))


@lru_cache(maxsize=512)
def _pg_sql(sql: str) -> str:
    return sql.replace("%", "%%").replace("?", "%s")


class Store:
    """An open knowledge store: ``query``/``one``/``scalar`` to read, ``transaction`` to write."""

    def __init__(self, conn: Any, dialect: str, url: str):
        self.conn = conn
        self.dialect = dialect
        self.url = url
        self._depth = 0

    # -- reading ---------------------------------------------------------------------------
    def execute(self, sql: str, params: Sequence[Any] = ()) -> Any:
        """Run one statement; returns the backend's cursor."""
        if self.dialect == "postgres":
            return self.conn.execute(_pg_sql(sql), tuple(params))
        return self.conn.execute(sql, tuple(params))

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        """Run one statement for many parameter rows (a batch)."""
        rows = [tuple(r) for r in rows]
        if not rows:
            return
        if self.dialect == "postgres":
            with self.conn.cursor() as cur:
                cur.executemany(_pg_sql(sql), rows)
        else:
            self.conn.executemany(sql, rows)

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        """All rows as plain dicts."""
        cur = self.execute(sql, params)
        if self.dialect == "postgres":
            return [dict(r) for r in cur.fetchall()]
        names = [d[0] for d in cur.description or ()]
        return [dict(zip(names, r)) for r in cur.fetchall()]

    def one(self, sql: str, params: Sequence[Any] = ()) -> dict[str, Any] | None:
        """The first row as a dict, or None."""
        rows = self.query(sql, params)
        return rows[0] if rows else None

    def scalar(self, sql: str, params: Sequence[Any] = ()) -> Any:
        """The first column of the first row, or None."""
        row = self.execute(sql, params).fetchone()
        if row is None:
            return None
        return next(iter(row.values())) if isinstance(row, dict) else row[0]

    def insert_id(self, sql: str, params: Sequence[Any], key: str) -> int:
        """Run an INSERT and return the generated integer ``key`` (both backends support RETURNING)."""
        return int(self.scalar(f"{sql} RETURNING {key}", params))

    # -- writing ---------------------------------------------------------------------------
    @contextmanager
    def transaction(self) -> Iterator["Store"]:
        """All or nothing: commit when the block ends, roll back if it raises. A nested block is a
        savepoint: its failure undoes only its own work."""
        depth, self._depth = self._depth, self._depth + 1
        try:
            if self.dialect == "postgres":
                with self.conn.transaction():
                    yield self
            elif depth:
                self.conn.execute(f"SAVEPOINT sp{depth}")
                try:
                    yield self
                except BaseException:
                    self.conn.execute(f"ROLLBACK TO sp{depth}")
                    self.conn.execute(f"RELEASE sp{depth}")
                    raise
                self.conn.execute(f"RELEASE sp{depth}")
            else:
                self.conn.execute("BEGIN IMMEDIATE")
                try:
                    yield self
                except BaseException:
                    self.conn.execute("ROLLBACK")
                    raise
                self.conn.execute("COMMIT")
        finally:
            self._depth = depth

    def close(self) -> None:
        """Close the connection (uncommitted work is rolled back)."""
        self.conn.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Store({self.dialect}, {self.url!r})"


def connect(url: str | Path) -> Store:
    """Open (creating if needed) the store at an SQLite path or a PostgreSQL DSN, without migrating."""
    url = str(url)
    try:
        if is_postgres(url):
            import psycopg
            from psycopg.rows import dict_row

            conn = psycopg.connect(url, autocommit=True, row_factory=dict_row)
            return Store(conn, "postgres", url)
        if url != ":memory:":
            Path(url).parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(url, isolation_level=None, timeout=30, check_same_thread=False)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute("PRAGMA busy_timeout=30000")
        conn.execute("PRAGMA temp_store=MEMORY")
        conn.execute("PRAGMA cache_size=-65536")     # 64 MiB of page cache: index lookups stay in memory
        conn.execute("PRAGMA mmap_size=268435456")
        return Store(conn, "sqlite", url)
    except (sqlite3.Error, OSError, ImportError) as exc:
        raise StoreError(f"cannot open the store ({exc})", url, code=NG301_CANNOT_OPEN) from exc
    except Exception as exc:  # psycopg.OperationalError and friends
        raise StoreError(f"cannot open the store ({exc})", _redact(url), code=NG301_CANNOT_OPEN) from exc


def _redact(url: str) -> str:
    return re.sub(r"//([^:/@]+):[^@]*@", r"//\1:***@", url)


def open_store(url: str | Path, *, migrate: bool = True) -> Store:
    """Open the store and bring its schema up to date (the usual way in)."""
    from .schema import upgrade

    store = connect(url)
    if migrate:
        upgrade(store)
    return store
