"""Extract on a Dask cluster: workers parse and extract batches, the client gets the results in input order.

    >>> from newsgraph.cluster import cluster_extract
    >>> for result in cluster_extract(read_inputs(paths), address="tcp://scheduler:8786"):
    ...     store_article(store, result.article)          # the client stays the single writer

``address`` is a scheduler address (``tcp://host:8786``) or ``local:N`` for a LocalCluster of N
one-thread worker processes on this machine. Each worker loads the spaCy pipeline once (a
worker plugin warms ``newsgraph.nlp.load``'s cache); batches travel as Articles without facts
and come back as ``newsgraph/1`` dicts. A worker that dies mid-batch loses nothing: the
scheduler runs its batch again elsewhere. Needs the optional extra ``newsgraph[cluster]``.
"""
from __future__ import annotations

import re
from collections import deque
from contextlib import contextmanager
from typing import Any, Iterable, Iterator

from . import errors as errors_mod
from .errors import ModelError, NewsgraphError
from .ingest import Item, make_article
from .model import Article
from .pipeline import Result

NG203_NO_CLUSTER = "NG203"   # the Dask cluster cannot be reached, or dask is not installed
NG204_BAD_ADDRESS = "NG204"  # --cluster is neither tcp://host:port nor local:N

_LOCAL = re.compile(r"^local(?::(\d+))?$")
#: What a worker returns per article: (newsgraph/1 dict, None) or (None, (class, code, message, where)).
Outcome = tuple[dict[str, Any] | None, tuple[str, str, str, str | None] | None]


def _distributed() -> Any:
    try:
        import distributed
    except ImportError as exc:
        raise ModelError('the cluster path needs dask: pip install "newsgraph[cluster]"',
                         code=NG203_NO_CLUSTER) from exc
    return distributed


@contextmanager
def connect(address: str, *, model: str | None = None) -> Iterator[Any]:
    """A ``distributed.Client`` for ``address`` (``tcp://...`` or ``local:N``) with the model warmed on every worker."""
    distributed = _distributed()
    m = _LOCAL.match(address.strip())
    cluster = None
    try:
        if m:
            cluster = distributed.LocalCluster(n_workers=int(m.group(1) or 2), threads_per_worker=1,
                                               processes=True, host="127.0.0.1", dashboard_address=None)
            client = distributed.Client(cluster)
        elif "://" in address or ":" in address:
            client = distributed.Client(address, timeout="30s")
        else:
            raise ModelError(f"cluster address {address!r} is neither tcp://host:port nor local:N",
                             code=NG204_BAD_ADDRESS)
    except (OSError, TimeoutError) as exc:
        raise ModelError(f"cannot reach the Dask cluster at {address} ({exc})", code=NG203_NO_CLUSTER) from exc
    try:
        client.register_plugin(_plugin_class()(model))
        yield client
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def _plugin_class() -> type:
    """The worker plugin class (defined lazily so that importing this module does not need dask)."""
    from distributed.diagnostics.plugin import WorkerPlugin

    class LoadModel(WorkerPlugin):
        """Load the spaCy pipeline once when a worker starts (also on workers that join or restart)."""

        name = "newsgraph-load-model"

        def __init__(self, model: str | None = None):
            self.model = model

        def setup(self, worker: Any) -> None:
            from . import nlp

            nlp.load(self.model)

    return LoadModel


def extract_batch(articles: list[Article], model: str | None = None, batch_size: int = 32) -> list[Outcome]:
    """The worker's task: extract a batch with the process's cached pipeline; one outcome per article."""
    from . import nlp
    from .pipeline import extract_many

    out: list[Outcome] = []
    for res in extract_many(articles, nlp=nlp.load(model), batch_size=batch_size):
        if res.article is not None:
            out.append((res.article.to_dict(), None))
        else:
            err = res.error
            out.append((None, (type(err).__name__, err.code, err.message, err.where)))
    return out


def _error(cls_name: str, code: str, message: str, where: str | None) -> NewsgraphError:
    cls = getattr(errors_mod, cls_name, NewsgraphError)
    if not (isinstance(cls, type) and issubclass(cls, NewsgraphError)):
        cls = NewsgraphError
    return cls(message, where, code=code)


def _entries(items: Iterable[Item | Article | str]) -> Iterator[Result]:
    """Inputs as Results without facts (the same normalisation as ``extract_many``); errors stay errors."""
    for n, item in enumerate(items):
        if isinstance(item, str):
            origin = f"<text {n + 1}>"
            try:
                yield Result(origin, make_article(item, origin))
            except NewsgraphError as exc:
                yield Result(origin, None, exc)
        elif isinstance(item, Article):
            yield Result(item.url or item.id, item)
        else:
            yield Result(item.origin, item.article, item.error)


def cluster_extract(items: Iterable[Item | Article | str], *, address: str | None = None, client: Any = None,
                    batch_size: int = 32, model: str | None = None, in_flight: int | None = None,
                    retries: int = 2) -> Iterator[Result]:
    """Like ``extract_many`` (same Results, same order), with the parsing and extraction done by Dask workers.

    Pass ``address`` (``tcp://host:8786`` or ``local:N``) or an open ``client``. At most
    ``in_flight`` batches (default: two per worker thread) are out at once, so a long stream
    never piles up in memory. ``retries`` reruns a batch whose task raised; a batch whose
    worker died is rerun by the scheduler on its own.
    """
    if client is None:
        if address is None:
            raise ModelError("cluster_extract needs an address or a client", code=NG204_BAD_ADDRESS)
        with connect(address, model=model) as own:
            yield from cluster_extract(items, client=own, batch_size=batch_size, model=model,
                                       in_flight=in_flight, retries=retries)
        return
    window = in_flight or max(2, 2 * sum(client.nthreads().values()))
    pending: deque[tuple[list[Result], Any]] = deque()

    def submit(batch: list[Result]) -> None:
        articles = [r.article for r in batch if r.article is not None]
        future = client.submit(extract_batch, articles, model, batch_size, pure=False, retries=retries) \
            if articles else None
        pending.append((batch, future))

    def collect() -> Iterator[Result]:
        batch, future = pending.popleft()
        outcomes = iter(future.result() if future is not None else ())
        for entry in batch:
            if entry.article is None:
                yield entry
                continue
            data, err = next(outcomes)
            yield (Result(entry.origin, Article.from_dict(data)) if data is not None
                   else Result(entry.origin, None, _error(*err)))

    batch: list[Result] = []
    size = 0
    for entry in _entries(items):
        batch.append(entry)
        size += entry.article is not None
        if size >= batch_size:
            submit(batch)
            batch, size = [], 0
            while len(pending) >= window:
                yield from collect()
    if batch:
        submit(batch)
    while pending:
        yield from collect()
