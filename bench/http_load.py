"""HTTP load test: concurrent clients on loopback against the entity, timeline and article endpoints.

Starts ``newsgraph`` 's server on 127.0.0.1 in a child process over an existing store, drives it
with ``--clients`` concurrent keep-alive clients for ``--seconds``, then stops both. Reports
requests/s, latency percentiles and errors per endpoint, as JSON on stdout (and ``--out``).

    python bench/http_load.py --db bbc.db --seconds 30 --clients 50 --mix api
    python bench/http_load.py --db bbc.db --seconds 30 --clients 50 --mix pages

Loopback only, bounded: the run ends after ``--seconds`` (each request gives up after 10 s).
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx

REQUEST_TIMEOUT_S = 10.0
MIXES = {
    "api": {"entity": "/api/entities/{gid}", "timeline": "/api/entities/{gid}/timeline",
            "article": "/api/articles/{aid}"},
    "pages": {"entity_page": "/entities/{gid}", "article_page": "/articles/{aid}"},
}

SERVER = """
import os, sys, uvicorn
os.environ["NEWSGRAPH_DB"] = sys.argv[1]
uvicorn.run("newsgraph.server.app:app_from_env", factory=True, host="127.0.0.1", port=int(sys.argv[2]),
            workers=int(sys.argv[3]), log_level="warning", access_log=False)
"""


def free_port() -> int:
    """A free TCP port on loopback."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def sample_keys(db: str, *, n: int = 300, seed: int = 7) -> tuple[list[int], list[str]]:
    """Entity ids (weighted towards the most reported, as real traffic is) and article ids to ask for."""
    from newsgraph.store.db import connect

    store = connect(db)
    try:
        top = [r["gid"] for r in store.query(
            "SELECT gid, COUNT(DISTINCT aid) AS n FROM article_entities GROUP BY gid ORDER BY n DESC LIMIT ?", (n,))]
        rest = [r["gid"] for r in store.query("SELECT gid FROM entities WHERE merged_into IS NULL")]
        arts = [r["id"] for r in store.query("SELECT id FROM articles WHERE current = 1")]
    finally:
        store.close()
    rng = random.Random(seed)
    gids = top + rng.sample(rest, min(n, len(rest)))
    return gids, rng.sample(arts, min(2 * n, len(arts)))


def start_server(db: str, port: int, *, workers: int = 1) -> subprocess.Popen:
    """The server in its own process(es), so the load generator does not share its interpreter."""
    proc = subprocess.Popen([sys.executable, "-c", SERVER, db, str(port), str(workers)], stdout=subprocess.DEVNULL,
                            start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"the server exited with {proc.returncode}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/articles?limit=1", timeout=2).status_code == 200:
                return proc
        except httpx.HTTPError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("the server did not start within 60 s")


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) used so far by a process and all its children (psutil, when installed)."""
    try:
        import psutil
    except ImportError:
        return float("nan")
    try:
        procs = [psutil.Process(pid)]
        procs += procs[0].children(recursive=True)
    except psutil.NoSuchProcess:
        return float("nan")
    total = 0.0
    for p in procs:
        try:
            t = p.cpu_times()
            total += t.user + t.system
        except psutil.NoSuchProcess:
            pass
    return total


def stop_server(proc: subprocess.Popen) -> None:
    """Stop the server and its worker processes (its own process group)."""
    import signal

    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


async def client(base: str, routes: dict[str, str], gids: list[int], aids: list[str], stop_at: float,
                 rng: random.Random, out: dict[str, list[Any]]) -> None:
    """One client: a keep-alive connection asking for random endpoints until the time is up."""
    async with httpx.AsyncClient(base_url=base, timeout=REQUEST_TIMEOUT_S, limits=httpx.Limits(max_connections=1)) as c:
        names = list(routes)
        while time.monotonic() < stop_at:
            name = rng.choice(names)
            path = routes[name].format(gid=rng.choice(gids), aid=quote(rng.choice(aids), safe=""))
            t0 = time.perf_counter()
            try:
                resp = await c.get(path)
                ok = resp.status_code == 200
                err = None if ok else f"HTTP {resp.status_code}"
            except httpx.HTTPError as exc:
                ok, err = False, type(exc).__name__
            out[name].append((time.perf_counter() - t0, ok, err))


def summarise(out: dict[str, list[Any]], seconds: float) -> dict[str, Any]:
    """Requests/s, p50/p95/p99 latency (ms) and errors per endpoint and overall."""
    def stats(rows: list[Any]) -> dict[str, Any]:
        lat = sorted(r[0] for r in rows)
        pct = lambda p: round(1000 * lat[min(len(lat) - 1, int(p * len(lat)))], 1) if lat else None  # noqa: E731
        errors: dict[str, int] = {}
        for r in rows:
            if not r[1]:
                errors[r[2]] = errors.get(r[2], 0) + 1
        return {"requests": len(rows), "rps": round(len(rows) / seconds, 1), "p50_ms": pct(0.50),
                "p95_ms": pct(0.95), "p99_ms": pct(0.99), "max_ms": round(1000 * lat[-1], 1) if lat else None,
                "errors": sum(errors.values()), "error_kinds": errors}

    report = {name: stats(rows) for name, rows in out.items()}
    report["all"] = stats([r for rows in out.values() for r in rows])
    return report


async def drive(base: str, routes: dict[str, str], gids: list[int], aids: list[str], *, clients: int,
                seconds: float) -> dict[str, Any]:
    """Run the clients for ``seconds`` and summarise."""
    out: dict[str, list[Any]] = {name: [] for name in routes}
    start = time.monotonic()
    stop_at = start + seconds
    await asyncio.gather(*(client(base, routes, gids, aids, stop_at, random.Random(i), out) for i in range(clients)))
    return summarise(out, time.monotonic() - start)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", required=True, help="An existing store (e.g. the BBC corpus after newsgraph ingest).")
    ap.add_argument("--seconds", type=float, default=30.0)
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--mix", choices=[*MIXES, "both"], default="api")
    ap.add_argument("--workers", type=int, default=1, help="Server processes.")
    ap.add_argument("--warmup", type=float, default=3.0, help="Seconds of load before measuring.")
    ap.add_argument("--out", type=Path, help="Also write the JSON report here.")
    args = ap.parse_args(argv)
    if not Path(args.db).is_file():
        raise SystemExit(f"no store at {args.db} (run newsgraph ingest first)")
    if not 1 <= args.clients <= 500 or not 0 < args.seconds <= 600:
        raise SystemExit("--clients must be 1..500 and --seconds 0..600")
    gids, aids = sample_keys(args.db)
    port = free_port()
    proc = start_server(args.db, port, workers=args.workers)
    base = f"http://127.0.0.1:{port}"
    report: dict[str, Any] = {"db": os.path.basename(args.db), "clients": args.clients, "seconds": args.seconds,
                              "workers": args.workers,
                              "articles_sampled": len(aids), "entities_sampled": len(gids), "cpus": os.cpu_count(),
                              "loadavg_before": round(os.getloadavg()[0], 2)}
    try:
        mixes = list(MIXES) if args.mix == "both" else [args.mix]
        for mix in mixes:
            if args.warmup:
                asyncio.run(drive(base, MIXES[mix], gids, aids, clients=args.clients, seconds=args.warmup))
            server0, client0 = cpu_seconds(proc.pid), time.process_time()
            report[mix] = asyncio.run(drive(base, MIXES[mix], gids, aids, clients=args.clients, seconds=args.seconds))
            n = report[mix]["all"]["requests"] or 1
            # CPU per request: what a dedicated core would need, whatever else the machine was doing.
            report[mix]["server_cpu_ms_per_request"] = round(1000 * (cpu_seconds(proc.pid) - server0) / n, 2)
            report[mix]["client_cpu_ms_per_request"] = round(1000 * (time.process_time() - client0) / n, 2)
    finally:
        stop_server(proc)
    report["loadavg_after"] = round(os.getloadavg()[0], 2)
    text = json.dumps(report, indent=2)
    print(text)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
