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
from contextlib import contextmanager
from typing import Any, Iterable, Iterator

from .errors import ModelError
from .ingest import Item
from .model import Article
from .pipeline import Result
from .workers import Outcome, extract_batch, ordered

NG203_NO_CLUSTER = "NG203"   # the Dask cluster cannot be reached, or dask is not installed
NG204_BAD_ADDRESS = "NG204"  # --cluster is neither tcp://host:port nor local:N

_LOCAL = re.compile(r"^local(?::(\d+))?$")


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


def _one_thread() -> bool:
    """Whether this Dask worker runs one task at a time (then a batch may use a memory zone)."""
    try:
        from distributed import get_worker

        return get_worker().state.nthreads == 1
    except (ImportError, ValueError, AttributeError):
        return False


def _dask_batch(articles: list[Article], model: str | None, batch_size: int) -> list[Outcome]:
    """The task a Dask worker runs: ``workers.extract_batch`` returning ``newsgraph/1`` dicts."""
    return extract_batch(articles, model, batch_size, as_dict=True, memory_zone=_one_thread())


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

    def submit(articles: list[Article]) -> Any:
        return client.submit(_dask_batch, articles, model, batch_size, pure=False, retries=retries)

    yield from ordered(items, submit, batch_size=batch_size, window=window)
