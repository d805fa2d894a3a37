"""Fetching an article by URL without letting the server be aimed at its own network (SSRF).

Only http and https; the host's addresses must all be public unless a network is explicitly
allowed; the connection goes to the address that was checked (no second DNS answer); every
redirect is checked the same way; the body and the time spent are both capped.
"""
from __future__ import annotations

import ipaddress
import socket
import time
from dataclasses import dataclass
from typing import Callable, Sequence
from urllib.parse import urljoin, urlsplit

import httpx

from ..errors import ServerError
from .security import NG504_URL_REFUSED, NG505_FETCH_FAILED

MAX_FETCH_BYTES = 5_000_000
TIMEOUT_S = 10.0
MAX_REDIRECTS = 5
USER_AGENT = "newsgraph/0.1 (+article fetch)"

Resolver = Callable[[str, int], list[str]]
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


@dataclass(frozen=True, slots=True)
class Fetched:
    """A fetched page: the final URL (after redirects), its content type and its text."""

    url: str
    content_type: str
    text: str


def system_resolve(host: str, port: int) -> list[str]:
    """Every address the system resolver gives for ``host``."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise ServerError(f"cannot resolve the host ({exc})", host, code=NG505_FETCH_FAILED) from exc
    return sorted({str(info[4][0]) for info in infos})


def is_public(addr: IPAddress) -> bool:
    """True for an address on the public internet (not private, loopback, link-local, reserved, ...)."""
    if isinstance(addr, ipaddress.IPv6Address) and addr.ipv4_mapped:
        addr = addr.ipv4_mapped
    return addr.is_global and not addr.is_multicast


def check_url(url: str, *, allow: Sequence[str] = (), resolve: Resolver = system_resolve) -> tuple[str, str]:
    """The (url, address to connect to) for a URL the server may fetch; NG504 otherwise."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise ServerError("only http and https URLs can be fetched", _short(url), code=NG504_URL_REFUSED)
    host = parts.hostname
    if not host:
        raise ServerError("the URL names no host", _short(url), code=NG504_URL_REFUSED)
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as exc:
        raise ServerError("the URL has a bad port", _short(url), code=NG504_URL_REFUSED) from exc
    nets = [ipaddress.ip_network(n, strict=False) for n in allow]
    addrs = [ipaddress.ip_address(a.split("%")[0]) for a in resolve(host, port)]
    if not addrs:
        raise ServerError("the host has no address", host, code=NG505_FETCH_FAILED)
    for addr in addrs:
        if not is_public(addr) and not any(addr in net for net in nets):
            raise ServerError(f"the host resolves to a non-public address ({addr})", host, code=NG504_URL_REFUSED)
    return url, str(addrs[0])


def fetch_url(url: str, *, allow: Sequence[str] = (), max_bytes: int = MAX_FETCH_BYTES,
              timeout: float = TIMEOUT_S, resolve: Resolver = system_resolve) -> Fetched:
    """GET a page under the rules above; NG504 for a refused URL, NG505 when fetching fails."""
    deadline = time.monotonic() + timeout
    with httpx.Client(follow_redirects=False, trust_env=False, verify=True) as client:
        for _ in range(MAX_REDIRECTS + 1):
            url, addr = check_url(url, allow=allow, resolve=resolve)
            resp_url, status, location, ctype, body = _get_pinned(client, url, addr, deadline, max_bytes)
            if status in (301, 302, 303, 307, 308) and location:
                url = urljoin(resp_url, location)
                continue
            if status >= 400:
                raise ServerError(f"the server answered HTTP {status}", _short(url), code=NG505_FETCH_FAILED)
            return Fetched(url, ctype.split(";")[0], _decode(body, ctype))
    raise ServerError(f"more than {MAX_REDIRECTS} redirects", _short(url), code=NG505_FETCH_FAILED)


def _get_pinned(client: httpx.Client, url: str, addr: str, deadline: float,
                max_bytes: int) -> tuple[str, int, str | None, str, bytes]:
    """One GET sent to the checked address, with the URL's host in Host and TLS SNI."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    ip_host = f"[{addr}]" if ":" in addr else addr
    netloc = ip_host + (f":{parts.port}" if parts.port else "")
    target = parts._replace(netloc=netloc).geturl()
    host_header = host if not parts.port else f"{host}:{parts.port}"
    if ":" in host and not host.startswith("["):
        host_header = f"[{host}]" + (f":{parts.port}" if parts.port else "")
    left = deadline - time.monotonic()
    if left <= 0:
        raise ServerError("fetching took too long", _short(url), code=NG505_FETCH_FAILED)
    try:
        with client.stream("GET", target, headers={"Host": host_header, "User-Agent": USER_AGENT,
                                                   "Accept": "text/html, text/plain;q=0.9"},
                           timeout=httpx.Timeout(left), extensions={"sni_hostname": host}) as resp:
            if resp.status_code in (301, 302, 303, 307, 308):
                return url, resp.status_code, resp.headers.get("location"), "", b""
            ctype = resp.headers.get("content-type", "").split(";")[0].strip().lower()
            declared = resp.headers.get("content-length")
            if declared and declared.isdigit() and int(declared) > max_bytes:
                raise ServerError(f"the page is over {max_bytes} bytes", _short(url), code=NG505_FETCH_FAILED)
            chunks, size = [], 0
            for chunk in resp.iter_bytes():
                size += len(chunk)
                if size > max_bytes:
                    raise ServerError(f"the page is over {max_bytes} bytes", _short(url), code=NG505_FETCH_FAILED)
                if time.monotonic() > deadline:
                    raise ServerError("fetching took too long", _short(url), code=NG505_FETCH_FAILED)
                chunks.append(chunk)
            charset = resp.charset_encoding or ""
            return url, resp.status_code, None, f"{ctype};{charset}", b"".join(chunks)
    except httpx.HTTPError as exc:
        raise ServerError(f"cannot fetch the URL ({type(exc).__name__})", _short(url),
                          code=NG505_FETCH_FAILED) from exc


def _decode(body: bytes, ctype: str) -> str:
    kind, _, charset = ctype.partition(";")
    if kind and kind not in ("text/html", "text/plain", "application/xhtml+xml"):
        raise ServerError(f"the page is not HTML or text ({kind})", code=NG505_FETCH_FAILED)
    try:
        return body.decode(charset or "utf-8")
    except (LookupError, UnicodeDecodeError):
        return body.decode("utf-8", errors="replace")


def _short(url: str) -> str:
    return url if len(url) <= 200 else url[:200] + "..."
