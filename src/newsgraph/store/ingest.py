"""Ingest many inputs into a store: read -> skip known -> extract (one model load) -> store, one
article per transaction. Rejected inputs are recorded in the store, never skipped silently.

Files of ``newsgraph extract --format jsonl`` output (newsgraph/1 records) are stored as they
are, without extracting again.
"""
from __future__ import annotations

import json
import time
from contextlib import ExitStack
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator

from ..errors import NewsgraphError, StoreError
from ..model import SCHEMA, Article
from .db import Store
from .writer import clear_reject, known, record_reject, store_article, text_sha


@dataclass
class Summary:
    """Counts for one ingest run (what ``--json`` prints)."""

    read: int = 0
    stored: int = 0
    new_versions: int = 0
    unchanged: int = 0
    rejected: int = 0
    seconds: float = 0.0
    started: float = field(default_factory=time.monotonic, repr=False)

    @property
    def per_second(self) -> float:
        return self.read / self.seconds if self.seconds else 0.0

    def tick(self) -> None:
        self.seconds = round(time.monotonic() - self.started, 3)

    def to_dict(self) -> dict[str, float | int]:
        out = asdict(self)
        out.pop("started")
        out["articles_per_second"] = round(self.per_second, 2)
        return out


def _is_extracted(path: Path) -> bool:
    """True for a .json/.jsonl file whose first record is a newsgraph/1 extraction."""
    if path.suffix.lower() not in (".json", ".jsonl", ".ndjson") or not path.is_file():
        return False
    with path.open("rb") as fh:
        head = fh.read(200).lstrip()
    return head.startswith(b"{") and b'"schema"' in head and SCHEMA.encode() in head


def read_extracted(path: Path) -> Iterator[tuple[str, Article | None, NewsgraphError | None]]:
    """(origin, Article, None) per newsgraph/1 record of a file, or (origin, None, error)."""
    from ..errors import InputError

    text = path.read_text(encoding="utf-8")
    lines = [text] if path.suffix.lower() == ".json" else text.split("\n")   # not splitlines: U+2028 is text
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        origin = f"{path}:{n}" if len(lines) > 1 else str(path)
        try:
            yield origin, Article.from_dict(json.loads(line)), None
        except (ValueError, KeyError, TypeError) as exc:
            yield origin, None, InputError(f"not a newsgraph/1 record ({exc})", origin, code="NG107")


def ingest(store: Store, paths: Iterable[str | Path], *, published: str | None = None, model: str | None = None,
           jobs: int = 1, cluster: str | None = None,
           on_progress: Callable[[Summary], None] | None = None) -> Summary:
    """Store every article of these inputs; returns the counts. Safe to rerun after a crash.

    With ``cluster`` (``tcp://host:8786`` or ``local:N``) Dask workers extract and this
    process stays the single writer, so the store's guarantees are unchanged.
    """
    from ..pipeline import extract_many

    summary = Summary()
    paths = [str(p) for p in paths]
    extracted = [p for p in paths if p != "-" and _is_extracted(Path(p))]
    with _Batches(store) as batch:
        for path in extracted:
            for origin, article, error in read_extracted(Path(path)):
                _store(store, summary, origin, article, error, on_progress)
                batch.tick()
        if len(extracted) < len(paths):
            fresh = _fresh(store, summary, paths, extracted, published, on_progress)
            if cluster:
                from ..cluster import cluster_extract
                results = cluster_extract(fresh, address=cluster, model=model)
            else:
                results = extract_many(fresh, model=model, n_process=jobs, memory_zone=True)
            for res in results:
                _store(store, summary, res.origin, res.article, res.error, on_progress)
                batch.tick()
    summary.tick()
    return summary


def _fresh(store: Store, summary: Summary, paths: list[str], extracted: list[str], published: str | None,
           on_progress: Callable[[Summary], None] | None) -> Iterator[object]:
    """The inputs still to extract: articles already stored (same id and text) are counted, not parsed."""
    from ..ingest import read_inputs

    for item in read_inputs([p for p in paths if p not in extracted], published=published):
        art = item.article
        if art is not None and text_sha(art.text) in known(store, art.id):
            summary.read += 1
            summary.unchanged += 1
            clear_reject(store, item.origin)
            _report(summary, on_progress)
            continue
        yield item


class _Batches:
    """Commit every ``size`` articles or ``seconds`` (each article is its own savepoint inside): far
    fewer commits, and a crash loses at most one uncommitted batch, which a rerun redoes."""

    def __init__(self, store: Store, *, size: int = 64, seconds: float = 2.0):
        self.store, self.size, self.seconds = store, size, seconds

    def __enter__(self) -> "_Batches":
        self._open()
        return self

    def _open(self) -> None:
        self.stack = ExitStack()
        self.stack.enter_context(self.store.transaction())
        self.count, self.since = 0, time.monotonic()

    def tick(self) -> None:
        self.count += 1
        if self.count >= self.size or time.monotonic() - self.since >= self.seconds:
            self.stack.close()
            self._open()

    def __exit__(self, *exc: object) -> None:
        self.stack.__exit__(*exc)


_COUNTER = {"stored": "stored", "new_version": "new_versions", "unchanged": "unchanged"}


def _store(store: Store, summary: Summary, origin: str, article: Article | None, error: NewsgraphError | None,
           on_progress: Callable[[Summary], None] | None) -> None:
    summary.read += 1
    if article is not None and error is None:
        try:
            done = store_article(store, article, path=origin)
        except StoreError as exc:
            error = exc
        else:
            attr = _COUNTER[done.status]
            setattr(summary, attr, getattr(summary, attr) + 1)
            clear_reject(store, origin)
    if error is not None:
        summary.rejected += 1
        record_reject(store, origin, getattr(error, "code", "NG000"), str(error))
    _report(summary, on_progress)


def _report(summary: Summary, on_progress: Callable[[Summary], None] | None) -> None:
    summary.tick()
    if on_progress:
        on_progress(summary)
