"""`newsgraph serve`: the web pages and the JSON API over a store."""
from __future__ import annotations

import ipaddress
import os

import click


def register(main: click.Group) -> None:
    """Add the ``serve`` command to the ``newsgraph`` group."""
    main.add_command(serve)


def local_hosts(host: str) -> list[str] | None:
    """On a loopback address, the Host names a browser may use (a rebound DNS name is refused)."""
    try:
        loopback = ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        loopback = host == "localhost"
    return ["127.0.0.1", "localhost", "::1", "[::1]", host] if loopback else None


@click.command()
@click.option("--db", required=True, envvar="NEWSGRAPH_DB", help="SQLite file or postgresql:// DSN of the store.")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; anything but loopback exposes the server to the network.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--allow-fetch", multiple=True, metavar="CIDR",
              help="A non-public network that POSTed URLs may be fetched from (repeatable; default none).")
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 64),
              help="Server processes (each with its own store connections).")
def serve(db: str, host: str, port: int, allow_fetch: tuple[str, ...], workers: int) -> None:
    """Serve the web pages and the JSON API (docs at /docs). Writes need NEWSGRAPH_TOKEN.

    \b
    Example:
      NEWSGRAPH_TOKEN=$(openssl rand -hex 16) newsgraph serve --db news.db --port 8000
    """
    import uvicorn

    from ..errors import NewsgraphError
    from .app import create_app

    for net in allow_fetch:
        try:
            ipaddress.ip_network(net, strict=False)
        except ValueError as exc:
            raise click.BadParameter(f"not a network: {net}", param_hint="--allow-fetch") from exc
    token = os.environ.get("NEWSGRAPH_TOKEN") or None
    hosts = local_hosts(host)
    try:
        app = create_app(db, token=token, allow_fetch=allow_fetch, allowed_hosts=hosts)
    except NewsgraphError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"newsgraph: http://{host}:{port}/  (writes {'enabled' if token else 'disabled: set NEWSGRAPH_TOKEN'})",
               err=True)
    if workers == 1:
        uvicorn.run(app, host=host, port=port, log_level="warning", server_header=False)
        return
    os.environ.update(NEWSGRAPH_DB=db, NEWSGRAPH_ALLOW_FETCH=",".join(allow_fetch),
                      NEWSGRAPH_ALLOWED_HOSTS=",".join(hosts or []))
    uvicorn.run("newsgraph.server.app:app_from_env", factory=True, workers=workers, host=host, port=port,
                log_level="warning", server_header=False)
