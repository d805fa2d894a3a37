"""Extract in several processes: worker processes parse *and* extract, the caller gets Results in input order.

    >>> for result in extract_many(read_inputs(paths), n_process=4):   # what `newsgraph extract -j 4` does
    ...     print(result.article.to_dict())

Each worker loads the spaCy pipeline once and runs the whole of ``extract_many`` on batches
of articles; what comes back is the finished Article (pickled, about 1 ms), not the spaCy Doc,
so the calling process only reads inputs and writes results. spaCy's own ``n_process``
ships every Doc back and leaves the extraction to the parent; that is why it is not used.

The batching, the window of batches in flight and the putting back in order are shared with
the Dask path (``newsgraph.cluster``): both hand ``ordered`` a function that submits one batch
and returns a future.
"""
from __future__ import annotations

import multiprocessing
import threading
from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, Callable, Iterable, Iterator

from . import errors as errors_mod
from .errors import ModelError, NewsgraphError
from .ingest import Item
from .model import Article
from .pipeline import Result, entries

NG205_WORKER_DIED = "NG205"  # a worker process died twice on the same batch (out of memory?)

#: What a worker returns per article: (Article or newsgraph/1 dict, None) or (None, (class, code, message, where)).
Outcome = tuple[Any, tuple[str, str, str, str | None] | None]


def extract_batch(articles: list[Article], model: str | None = None, batch_size: int = 32,
                  as_dict: bool = True, memory_zone: bool = True) -> list[Outcome]:
    """A worker's task: extract a batch with the process's cached pipeline; one outcome per article.

    ``as_dict`` returns ``newsgraph/1`` dicts (what the Dask path sends, independent of the
    Python versions on either side); else the Articles themselves (local processes).
    ``memory_zone`` frees what the batch added to the vocabulary (see ``extract_many``); only
    where the process runs one batch at a time.
    """
    from . import nlp
    from .pipeline import extract_many

    out: list[Outcome] = []
    for res in extract_many(articles, nlp=nlp.load(model), batch_size=batch_size, memory_zone=memory_zone):
        if res.article is not None:
            out.append((res.article.to_dict() if as_dict else res.article, None))
        else:
            err = res.error
            out.append((None, (type(err).__name__, err.code, err.message, err.where)))
    return out


def rebuild_error(cls_name: str, code: str, message: str, where: str | None) -> NewsgraphError:
    """The error a worker reported, as the same NewsgraphError subclass and code."""
    cls = getattr(errors_mod, cls_name, NewsgraphError)
    if not (isinstance(cls, type) and issubclass(cls, NewsgraphError)):
        cls = NewsgraphError
    return cls(message, where, code=code)


def ordered(items: Iterable[Item | Article | str], submit: Callable[[list[Article]], Future],
            *, batch_size: int, window: int) -> Iterator[Result]:
    """Cut the inputs into batches of ``batch_size`` articles, keep at most ``window`` batches in
    flight through ``submit``, and yield every input's Result in input order."""
    pending: deque[tuple[list[Result], Future | None]] = deque()

    def send(batch: list[Result]) -> None:
        articles = [r.article for r in batch if r.article is not None]
        pending.append((batch, submit(articles) if articles else None))

    def collect() -> Iterator[Result]:
        batch, future = pending.popleft()
        outcomes = iter(future.result() if future is not None else ())
        for entry in batch:
            if entry.article is None:
                yield entry
                continue
            data, err = next(outcomes)
            if err is not None:
                yield Result(entry.origin, None, rebuild_error(*err))
            else:
                yield Result(entry.origin, data if isinstance(data, Article) else Article.from_dict(data))

    batch: list[Result] = []
    size = 0
    for entry in entries(items):
        batch.append(entry)
        size += entry.article is not None
        if size >= batch_size:
            send(batch)
            batch, size = [], 0
            while len(pending) >= window:
                yield from collect()
    if batch:
        send(batch)
    while pending:
        yield from collect()


def _start_method() -> str:
    """fork where it is safe (POSIX, no other thread in this process): the workers start at once and
    share the loaded model's pages, and scripts without an ``if __name__ == "__main__"`` guard (or
    read from stdin) work. Else spawn, which never copies a lock another thread holds."""
    if "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1:
        return "fork"
    return "spawn"


def _warm(model: str | None) -> None:
    """Worker start-up: load the pipeline once, before the first batch arrives."""
    from . import nlp

    nlp.load(model)


class _Pool:
    """A process pool that is rebuilt when a worker dies; a batch whose worker died is run again
    once on the new pool, and a batch that kills a worker twice is refused with NG205."""

    def __init__(self, processes: int, model: str | None, batch_size: int):
        self.processes, self.model, self.batch_size = processes, model, batch_size
        self.context = multiprocessing.get_context(_start_method())
        self.executor = self._start()

    def _start(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(self.processes, mp_context=self.context, initializer=_warm,
                                   initargs=(self.model,))

    def submit(self, articles: list[Article]) -> Future:
        outer: Future = Future()
        self._run(articles, outer, tries=2)
        return outer

    def _run(self, articles: list[Article], outer: Future, tries: int) -> None:
        try:
            inner = self.executor.submit(extract_batch, articles, self.model, self.batch_size, False)
        except BrokenProcessPool:
            self._restart()
            inner = self.executor.submit(extract_batch, articles, self.model, self.batch_size, False)

        def done(f: Future) -> None:
            exc = f.exception()
            if exc is None:
                outer.set_result(f.result())
            elif isinstance(exc, BrokenProcessPool) and tries > 1:
                self._restart()
                self._run(articles, outer, tries - 1)
            elif isinstance(exc, BrokenProcessPool):
                outer.set_exception(ModelError(
                    f"a worker process died twice on the same batch of {len(articles)} articles "
                    f"(out of memory?); first: {articles[0].id}", code=NG205_WORKER_DIED))
            else:
                outer.set_exception(exc)

        inner.add_done_callback(done)

    def _restart(self) -> None:
        old = self.executor
        if getattr(old, "_broken", False):
            old.shutdown(wait=False, cancel_futures=False)
            self.context = multiprocessing.get_context(_start_method())   # threads run now: spawn
            self.executor = self._start()

    def close(self) -> None:
        self.executor.shutdown(wait=True, cancel_futures=True)


def extract_parallel(items: Iterable[Item | Article | str], *, processes: int, model: str | None = None,
                     batch_size: int = 32) -> Iterator[Result]:
    """``extract_many`` over ``processes`` worker processes: the same Results, in the same order."""
    pool = _Pool(processes, model, batch_size)
    try:
        yield from ordered(items, pool.submit, batch_size=batch_size, window=2 * processes)
    finally:
        pool.close()
