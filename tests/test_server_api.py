"""The HTTP API against a store made from real articles: BBC business stories and the reference article."""
from __future__ import annotations

import http.server
import json
import os
import re
import threading
from html import unescape
from pathlib import Path

import pytest

pytest.importorskip("fastapi")
from fastapi.testclient import TestClient  # noqa: E402

import newsgraph  # noqa: E402
from newsgraph.server import create_app  # noqa: E402
from newsgraph.server.fetch import check_url, fetch_url  # noqa: E402
from newsgraph.server.highlight import facts, render  # noqa: E402
from newsgraph.store.db import open_store  # noqa: E402
from newsgraph.store.writer import store_article  # noqa: E402
from store_fixtures import SHARED  # noqa: E402

BBC = SHARED / "data" / "bbc_news_raw" / "business"
REFERENCE = SHARED / "examples" / "openai-musk-bid.txt"
TOKEN = "test-token-7f3a"
# BBC business stories; 003, 025, 028 and 077 all report on Yukos, so it has a profile across articles.
BBC_FILES = ["001", "002", "003", "004", "005", "008", "010", "012", "017", "025", "028", "077"]


def bbc_article(number: str, day: int) -> newsgraph.Article:
    """One BBC business story; the files carry no date, so the fixture spreads them over January 2005."""
    raw = (BBC / f"{number}.txt").read_text(encoding="utf-8", errors="replace")
    title, _, body = raw.partition("\n")
    return newsgraph.extract(body.strip(), title=title.strip(), id=f"bbc-business-{number}",
                             published=f"2005-01-{day:02d}")


def extract_corpus(*, extra: list[newsgraph.Article] = ()) -> list[newsgraph.Article]:
    """The reference article and the BBC stories above, extracted."""
    arts = [newsgraph.extract(REFERENCE.read_text(encoding="utf-8"), published="2025-02-11",
                              title="Altman rejects Musk's $97.4bn bid", id="ref-openai-musk",
                              url="https://example.org/openai-musk-bid")]
    arts += [bbc_article(n, day) for day, n in enumerate(BBC_FILES, start=3)]
    return arts + list(extra)


def store_all(url: str, arts: list[newsgraph.Article]) -> None:
    """Store the articles in the store at ``url`` (SQLite path or PostgreSQL DSN)."""
    store = open_store(url)
    try:
        for art in arts:
            store_article(store, art)
    finally:
        store.close()


def build_store(path: Path, *, extra: list[newsgraph.Article] = ()) -> list[newsgraph.Article]:
    """An SQLite store of the corpus; returns what was stored."""
    arts = extract_corpus(extra=extra)
    store_all(str(path), arts)
    return arts


@pytest.fixture(scope="module")
def corpus():
    return extract_corpus()


@pytest.fixture(scope="module")
def stored(tmp_path_factory, corpus):
    path = tmp_path_factory.mktemp("api") / "news.db"
    store_all(str(path), corpus)
    return path, {a.id: a for a in corpus}


@pytest.fixture(scope="module")
def client(stored):
    app = create_app(str(stored[0]))
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c


@pytest.fixture
def writer_client(tmp_path):
    """A server on a fresh copy of nothing: an empty store, writes enabled with a token."""
    app = create_app(str(tmp_path / "w.db"), token=TOKEN, allow_fetch=["127.0.0.0/8"], max_body=200_000)
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c


def _err(resp) -> str:
    body = resp.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "where"}, body
    return body["error"]["code"]


# -- reading ----------------------------------------------------------------------------------

def test_articles_are_paged_newest_first(client, stored):
    first = client.get("/api/articles", params={"limit": 5}).json()
    second = client.get("/api/articles", params={"limit": 5, "offset": 5}).json()
    assert len(first["items"]) == 5 and first["next_offset"] == 5
    ids = [a["id"] for a in first["items"] + second["items"]]
    assert len(set(ids)) == 10
    dates = [a["published"] for a in first["items"] + second["items"]]
    assert dates == sorted(dates, reverse=True)
    everything = client.get("/api/articles", params={"limit": 100}).json()
    assert len(everything["items"]) == len(stored[1]) and everything["next_offset"] is None


def test_articles_filter_by_text_entity_and_dates(client):
    hits = client.get("/api/articles", params={"q": "Yukos"}).json()["items"]
    assert hits and all("yukos" in (a["title"] or "").lower() or a["id"].startswith("bbc-") for a in hits)
    by_entity = client.get("/api/articles", params={"entity": "OpenAI"}).json()["items"]
    assert [a["id"] for a in by_entity] == ["ref-openai-musk"]
    january = client.get("/api/articles", params={"from": "2005-01-05", "to": "2005-01-08"}).json()["items"]
    assert january and all("2005-01-05" <= a["published"] <= "2005-01-08" for a in january)


def test_article_is_the_newsgraph_contract(client, stored, schema_validator):
    data = client.get("/api/articles/ref-openai-musk").json()
    schema_validator.validate(data)
    assert data == json.loads(json.dumps(stored[1]["ref-openai-musk"].to_dict()))
    assert any("We are not for sale" in q["text"] for q in data["quotes"])


def test_unknown_article_and_entity_are_numbered_404s(client):
    r = client.get("/api/articles/no-such-article")
    assert r.status_code == 404 and _err(r) == "NG402"
    r = client.get("/api/entities/Nobody%20Atall")
    assert r.status_code == 404 and _err(r) == "NG401"
    r = client.get("/api/no/such/route")
    assert r.status_code == 404 and _err(r) == "NG507"


def test_entities_search_and_profile(client):
    found = client.get("/api/entities", params={"q": "yuk"}).json()["items"]
    assert any(e["name"] == "Yukos" for e in found)
    yukos = next(e for e in found if e["name"] == "Yukos")
    by_id = client.get(f"/api/entities/{yukos['id']}").json()
    by_name = client.get("/api/entities/Yukos").json()
    assert by_id == by_name and by_id["type"] == "ORG" and by_id["article_count"] >= 2
    assert by_id["cooccurring"], "a company named in several stories has neighbours"


def test_timeline_is_dated_and_sourced(client):
    body = client.get("/api/entities/OpenAI/timeline").json()
    items = body["items"]
    assert items and {i["kind"] for i in items} <= {"event", "quote"}
    dated = [i["date"] for i in items if i["date"]]
    assert dated == sorted(dated)
    for i in items:
        assert i["source"]["article_id"] == "ref-openai-musk" and i["source"]["end"] > i["source"]["start"]


def test_quotes_by_speaker_and_about(client):
    altman = client.get("/api/quotes", params={"speaker": "Sam Altman"}).json()["items"]
    assert altman and all(q["speaker"]["name"] == "Sam Altman" for q in altman)
    about = client.get("/api/quotes", params={"about": "Musk"}).json()["items"]
    assert about and all("musk" in q["text"].lower() for q in about)


def test_deals_and_graph(client):
    deals = client.get("/api/deals", params={"party": "OpenAI"}).json()["items"]
    assert deals and all(any(p["name"] == "OpenAI" for p in d["parties"]) for d in deals)
    g = client.get("/api/graph", params={"entity": "OpenAI", "depth": 2}).json()
    ids = {n["id"] for n in g["nodes"]}
    assert any(n["name"] == "OpenAI" for n in g["nodes"]) and len(ids) > 3
    assert all(e["source"] in ids and e["target"] in ids for e in g["edges"])
    r = client.get("/api/graph", params={"entity": "OpenAI", "depth": 4})
    assert r.status_code == 422 and _err(r) == "NG506"
    mid = client.get("/api/graph", params={"entity": "OpenAI", "depth": 2, "limit": 10}).json()
    deep = client.get("/api/graph", params={"entity": "OpenAI", "depth": 3, "limit": 10}).json()
    assert {n["id"] for n in mid["nodes"]} <= {n["id"] for n in deep["nodes"]}
    r = client.get("/api/graph", params={"entity": "OpenAI", "depth": 3, "limit": 50})
    assert r.status_code == 422 and _err(r) == "NG506"


def test_search_finds_quotes_and_articles(client):
    hits = client.get("/api/search", params={"q": "not for sale"}).json()["items"]
    assert any(h["kind"] == "quote" and "not for sale" in h["text"] for h in hits)
    r = client.get("/api/search", params={"q": "  "})
    assert r.status_code in (404, 422) and _err(r) == "NG403"


# -- writing and its guards -------------------------------------------------------------------

ARTICLE = ("Shares in Harbourline Foods rose 4% on Tuesday after the company said it had agreed to buy "
           "the Dutch bakery chain Van Dijk for €310m. \"This gives us a real presence in northern Europe,\" "
           "said Harbourline's chief executive, Maria Lopez.")


def test_writes_are_refused_without_a_configured_token(client):
    r = client.post("/api/articles", json={"text": ARTICLE}, headers={"Authorization": "Bearer anything"})
    assert r.status_code == 403 and _err(r) == "NG502"


def test_writes_need_the_right_bearer_token(writer_client):
    r = writer_client.post("/api/articles", json={"text": ARTICLE})
    assert r.status_code == 401 and _err(r) == "NG501"
    r = writer_client.post("/api/articles", json={"text": ARTICLE}, headers={"Authorization": "Bearer wrong"})
    assert r.status_code == 403 and _err(r) == "NG502"
    auth = {"Authorization": f"Bearer {TOKEN}"}
    r = writer_client.post("/api/articles", json={"text": ARTICLE, "published": "2026-03-03", "id": "hl-1"},
                           headers=auth)
    assert r.status_code == 201, r.text
    assert r.json()["status"] == "stored" and r.json()["counts"]["amounts"] >= 2
    art = writer_client.get("/api/articles/hl-1").json()
    assert art["article"]["text"] == ARTICLE and art["article"]["published"] == "2026-03-03"
    again = writer_client.post("/api/articles", json={"text": ARTICLE, "id": "hl-1"}, headers=auth)
    assert again.status_code == 200 and again.json()["status"] == "unchanged"


def test_entity_merge_and_split_need_the_token(writer_client):
    auth = {"Authorization": f"Bearer {TOKEN}"}
    writer_client.post("/api/articles", json={"text": ARTICLE, "id": "hl-1"}, headers=auth)
    ents = {e["name"]: e["id"] for e in writer_client.get("/api/entities").json()["items"]}
    keep, other = ents["Harbourline Foods"], ents["Van Dijk"]
    r = writer_client.post(f"/api/entities/{keep}/merge", json={"others": [other]})
    assert r.status_code == 401 and _err(r) == "NG501"
    r = writer_client.post(f"/api/entities/{keep}/merge", json={"others": [other]}, headers=auth)
    assert r.status_code == 200 and r.json()["merged"] == [other]
    assert writer_client.get(f"/api/entities/{other}").json()["id"] == keep     # the old id leads to the kept one
    r = writer_client.post(f"/api/entities/{keep}/split", json={"name": "Van Dijk"}, headers=auth)
    assert r.status_code == 200 and r.json()["name"] == "Van Dijk"
    r = writer_client.post(f"/api/entities/{keep}/merge", json={"others": [keep]}, headers=auth)
    assert r.status_code == 422 and _err(r) == "NG304"


def test_posted_input_is_checked(writer_client):
    auth = {"Authorization": f"Bearer {TOKEN}"}
    r = writer_client.post("/api/articles", json={"text": ARTICLE, "url": "https://example.org/a"}, headers=auth)
    assert r.status_code == 422 and _err(r) == "NG506"
    r = writer_client.post("/api/articles", json={"text": "   "}, headers=auth)
    assert r.status_code == 422 and _err(r) in ("NG101", "NG506")
    r = writer_client.post("/api/articles", json={"text": ARTICLE, "published": "last week"}, headers=auth)
    assert r.status_code == 422 and _err(r) == "NG109"
    r = writer_client.post("/api/articles", content=b"{not json", headers={**auth, "Content-Type": "application/json"})
    assert r.status_code == 422 and _err(r) == "NG506"


def test_posted_html_is_read_as_an_article(writer_client):
    html = (f"<html><head><title>Harbourline buys Van Dijk</title></head><body><nav>Menu</nav>"
            f"<article><h1>Harbourline buys Van Dijk</h1><p>{ARTICLE}</p><p>{ARTICLE}</p></article></body></html>")
    r = writer_client.post("/api/articles", json={"html": html}, headers={"Authorization": f"Bearer {TOKEN}"})
    assert r.status_code == 201, r.text
    art = writer_client.get(r.json()["href"]).json()
    assert "Harbourline Foods" in art["article"]["text"] and "Menu" not in art["article"]["text"]


def test_request_body_limit(writer_client):
    big = {"text": "word " * 60_000}
    r = writer_client.post("/api/articles", json=big, headers={"Authorization": f"Bearer {TOKEN}"})
    assert r.status_code == 413 and _err(r) == "NG503"

    def streamed():                     # no Content-Length: counted while it arrives
        yield b'{"text": "'
        for _ in range(3000):
            yield b"many words " * 10
        yield b'"}'

    r = writer_client.post("/api/articles", content=streamed(),
                           headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"})
    assert r.status_code == 413 and _err(r) == "NG503"


def test_no_stack_trace_leaves_the_server(client, monkeypatch):
    from newsgraph.store import queries

    def boom(*a, **k):
        raise RuntimeError("secret detail /etc/newsgraph/internal.py line 12")

    monkeypatch.setattr(queries, "entities", boom)
    r = client.get("/api/entities", params={"q": "x"})
    assert r.status_code == 500 and _err(r) == "NG500"
    assert "secret" not in r.text and "Traceback" not in r.text
    page = client.get("/search", params={"q": "x"})
    assert page.status_code == 500 and "secret" not in page.text and "Traceback" not in page.text


# -- fetching URLs (SSRF) ---------------------------------------------------------------------

@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.org/a", "http://127.0.0.1:9/x",
                                 "http://localhost/x", "http://169.254.169.254/latest/meta-data/",
                                 "http://10.1.2.3/", "http://[::1]/", "http://0.0.0.0/", "gopher://x"])
def test_urls_inside_the_network_are_refused(url):
    with pytest.raises(newsgraph.NewsgraphError) as exc:
        check_url(url)
    assert exc.value.code == "NG504"


def test_a_public_name_resolving_inside_is_refused():
    def rebinding(host: str, port: int) -> list[str]:
        return ["93.184.215.14", "192.168.1.7"]

    with pytest.raises(newsgraph.NewsgraphError) as exc:
        check_url("https://news.example.com/a", resolve=rebinding)
    assert exc.value.code == "NG504" and "192.168.1.7" in exc.value.message
    assert check_url("https://news.example.com/a", resolve=lambda h, p: ["93.184.215.14"])[1] == "93.184.215.14"


class _Pages(http.server.BaseHTTPRequestHandler):
    """A tiny local news site: an article, a redirect into link-local space, and a huge page."""

    def do_GET(self):  # noqa: N802 - the stdlib's name
        if self.path == "/story":
            body = f"<html><body><article><h1>Harbourline buys Van Dijk</h1><p>{ARTICLE}</p></article></body></html>"
            self._send(200, body.encode(), {"Content-Type": "text/html; charset=utf-8"})
        elif self.path == "/hop":
            self._send(302, b"", {"Location": "http://169.254.169.254/latest/meta-data/"})
        elif self.path == "/huge":
            self._send(200, b"x" * 6_000_000, {"Content-Type": "text/html"})
        else:
            self._send(404, b"no", {})

    def _send(self, status, body, headers):
        self.send_response(status)
        for k, v in headers.items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def site():
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Pages)
    t = threading.Thread(target=srv.serve_forever, daemon=True)
    t.start()
    yield f"http://127.0.0.1:{srv.server_address[1]}"
    srv.shutdown()


def test_fetching_follows_the_rules(site):
    with pytest.raises(newsgraph.NewsgraphError) as exc:
        fetch_url(f"{site}/story")                       # loopback, not allowed by default
    assert exc.value.code == "NG504"
    page = fetch_url(f"{site}/story", allow=["127.0.0.0/8"])
    assert "Harbourline Foods" in page.text and page.content_type == "text/html"
    with pytest.raises(newsgraph.NewsgraphError) as exc:
        fetch_url(f"{site}/hop", allow=["127.0.0.0/8"])  # the redirect is checked like the first URL
    assert exc.value.code == "NG504" and "169.254.169.254" in exc.value.message
    with pytest.raises(newsgraph.NewsgraphError) as exc:
        fetch_url(f"{site}/huge", allow=["127.0.0.0/8"], max_bytes=1_000_000)
    assert exc.value.code == "NG505"


def test_posting_a_url_fetches_and_stores_it(writer_client, site):
    auth = {"Authorization": f"Bearer {TOKEN}"}
    r = writer_client.post("/api/articles", json={"url": f"{site}/story"}, headers=auth)
    assert r.status_code == 201, r.text
    art = writer_client.get(r.json()["href"]).json()
    assert art["article"]["url"] == f"{site}/story" and "Van Dijk" in art["article"]["text"]
    r = writer_client.post("/api/articles", json={"url": f"{site}/hop"}, headers=auth)
    assert r.status_code == 400 and _err(r) == "NG504"


# -- pages, docs and escaping -----------------------------------------------------------------

def test_pages_render_with_a_strict_policy(client):
    for path in ["/", "/search?q=Yukos", "/articles/ref-openai-musk", "/entities/OpenAI", "/deals", "/docs"]:
        r = client.get(path)
        assert r.status_code == 200, path
        assert "script-src 'self'" in r.headers["content-security-policy"]
        assert not re.search(r"<script(?![^>]*\bsrc=\"/static/)", r.text), path   # no inline script
        assert not re.search(r"(src|href)=\"https?://", r.text.replace('href="https://example.org', "")), path
    r = client.get("/entities/999999")
    assert r.status_code == 404 and "NG401" in r.text and r.headers["content-type"].startswith("text/html")


def test_docs_list_every_api_route_offline(client):
    spec = client.get("/openapi.json").json()
    docs = client.get("/docs").text
    for path, ops in spec["paths"].items():
        for method in ops:
            assert f"{method.upper()}</code> {path}" in unescape(docs), (method, path)
    assert "/api/graph" in spec["paths"] and "/api/articles" in spec["paths"]


def test_highlighted_text_is_the_article_text(stored):
    for art in stored[1].values():
        data = art.to_dict()
        html = str(render(data))
        assert unescape(re.sub(r"<[^>]+>", "", html)) == data["article"]["text"], art.id
        panel = facts(data)
        assert len(panel["quotes"]) == len(data["quotes"]) and len(panel["entities"]) == len(data["entities"])
        for group in panel.values():
            for fact in group:       # every fact in the side panel points at an element of the text
                assert f'id="{fact["target"]}"' in html, (art.id, fact)


def test_article_markup_cannot_escape_into_the_page():
    text = ('The board said <script>alert(1)</script> was found. "<img src=x onerror=alert(2)>" '
            'and <a href="javascript:alert(3)">a link</a> appeared in the statement on Monday.')
    data = newsgraph.extract(text, title="<b onmouseover=alert(4)>t</b>", url="javascript:alert(5)").to_dict()
    html = str(render(data))
    assert "<script>" not in html and "<img" not in html and "<a " not in html
    assert html.count("&lt;") == text.count("<") and unescape(re.sub(r"<[^>]+>", "", html)) == text
    assert not re.search(r"<(?!/?span\b)", html)          # the only tags are our own spans


def test_loopback_server_refuses_other_host_names(stored):
    from newsgraph.server.cli import local_hosts

    assert local_hosts("0.0.0.0") is None
    app = create_app(str(stored[0]), allowed_hosts=local_hosts("127.0.0.1"))
    with TestClient(app, base_url="http://127.0.0.1:8000") as c:
        assert c.get("/api/articles", params={"limit": 1}).status_code == 200
        assert c.get("/", headers={"Host": "localhost:8000"}).status_code == 200
        r = c.get("/api/articles", headers={"Host": "rebound.example.com:8000"})
        assert r.status_code == 400 and _err(r) == "NG508"


def test_serve_command_is_registered():
    import click
    from click.testing import CliRunner

    from newsgraph.server.cli import register

    group = click.Group("newsgraph")
    register(group)
    out = CliRunner().invoke(group, ["serve", "--help"])
    assert out.exit_code == 0 and "--db" in out.output and "127.0.0.1" in out.output
    bad = CliRunner().invoke(group, ["serve", "--db", "x.db", "--allow-fetch", "not-a-net"])
    assert bad.exit_code != 0 and "not a network" in bad.output


@pytest.mark.postgres
def test_the_api_reads_the_same_on_postgresql(client, corpus, tmp_path):
    from store_fixtures import PG_DSN, Backend

    if not PG_DSN:
        if os.environ.get("NEWSGRAPH_REQUIRE_SERVICES"):
            pytest.fail("NEWSGRAPH_TEST_PG is not set")
        pytest.skip("NEWSGRAPH_TEST_PG is not set: no PostgreSQL server to test against")
    backend = Backend("postgres", tmp_path)
    try:
        url = backend.url()
        store_all(url, corpus)
        with TestClient(create_app(url), raise_server_exceptions=False) as pg:
            for path in ["/api/articles/ref-openai-musk", "/api/entities/OpenAI", "/api/entities/Yukos",
                         "/api/quotes?speaker=Sam%20Altman", "/api/deals?party=OpenAI",
                         "/api/graph?entity=OpenAI&depth=2", "/api/articles?entity=Yukos&limit=5"]:
                mine, theirs = pg.get(path), client.get(path)
                assert mine.status_code == theirs.status_code == 200, path
                assert _ids(mine.json()) == _ids(theirs.json()), path
            assert pg.get("/entities/OpenAI").status_code == 200
            assert pg.get("/api/search", params={"q": "not for sale"}).json()["items"]
    finally:
        backend.cleanup()


def _ids(data):
    """What must agree across backends: names and texts, not the generated row ids."""
    text = json.dumps(data, sort_keys=True)
    return sorted(set(re.findall(r'"(?:name|text|title)": "([^"]*)"', text)))


def test_charts_place_dated_items_and_count_the_rest(client):
    from newsgraph.server.charts import price_chart, timeline_chart

    items = client.get("/api/entities/Elon%20Musk/timeline").json()["items"]
    chart = timeline_chart(items + [{**items[0], "date": None}])
    dated = [i for i in items if i["date"]]
    assert len(chart["points"]) == len(dated) and chart["undated"] == len(items) + 1 - len(dated)
    xs = [p["x"] for p in chart["points"]]
    assert min(xs) >= 70 and max(xs) <= 860 and chart["lo"] <= chart["hi"]
    assert all(p["href"].startswith("/articles/ref-openai-musk?at=") for p in chart["points"])
    assert price_chart([{"date": "2025-02-10", "value": 97.4e9}]) is None
    spark = price_chart([{"date": "2025-02-10", "value": 97.4e9}, {"date": "2025-02-14", "value": 97.375e9}])
    assert len(spark["dots"]) == 2 and spark["dots"][0]["y"] < spark["dots"][1]["y"]   # the price fell


def test_load_test_runs_end_to_end(stored, tmp_path):
    import subprocess
    import sys

    script = Path(__file__).resolve().parents[1] / "bench" / "http_load.py"
    out = tmp_path / "load.json"
    proc = subprocess.run([sys.executable, str(script), "--db", str(stored[0]), "--seconds", "1.5", "--clients", "4",
                           "--warmup", "0", "--mix", "both", "--out", str(out)],
                          capture_output=True, text=True, timeout=180)
    assert proc.returncode == 0, proc.stderr[-2000:]
    report = json.loads(out.read_text())
    for mix, names in (("api", {"entity", "timeline", "article"}), ("pages", {"entity_page", "article_page"})):
        assert set(report[mix]) >= names | {"all"}
        assert report[mix]["all"]["requests"] > 0 and report[mix]["all"]["errors"] == 0, report[mix]
        assert report[mix]["all"]["p50_ms"] <= report[mix]["all"]["p95_ms"] <= report[mix]["all"]["max_ms"]
