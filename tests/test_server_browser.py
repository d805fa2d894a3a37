"""The web pages in a real browser (Debian's Chromium through Playwright), against a live server."""
from __future__ import annotations

import os
import socket
import threading
import time
from pathlib import Path

import pytest

pytest.importorskip("fastapi")
playwright_api = pytest.importorskip("playwright.sync_api")

import newsgraph  # noqa: E402
from newsgraph.server import create_app  # noqa: E402
from test_server_api import build_store  # noqa: E402

pytestmark = pytest.mark.browser

CHROMIUM = os.environ.get("NEWSGRAPH_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]

# Markup that must stay text: a script, an image with an error handler, a javascript: link.
XSS_TEXT = ("Acme Holdings said on Monday it had agreed to buy Widget Works for $12 million. "
            "<script>window.__xss = 1; alert('script')</script> The chief executive, Jane Porter, said: "
            "\"<img src=x onerror=\"window.__xss = 2; alert('img')\"> This is a good deal for our shareholders.\" "
            "Details were in <a href=\"javascript:window.__xss = 3\">the statement</a> the company published.")


def _chromium() -> str:
    if Path(CHROMIUM).exists():
        return CHROMIUM
    reason = f"Chromium not found at {CHROMIUM} (apt-get install chromium, or set NEWSGRAPH_CHROMIUM)"
    if os.environ.get("NEWSGRAPH_REQUIRE_SERVICES"):
        pytest.fail(reason)
    pytest.skip(reason)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """A live uvicorn server on a free loopback port over a store of real articles plus a hostile one."""
    import uvicorn

    _chromium()
    path = tmp_path_factory.mktemp("browser") / "news.db"
    hostile = newsgraph.extract(XSS_TEXT, id="xss-1", published="2005-01-20",
                                title="<script>window.__xss = 4</script>Acme <img src=x onerror=alert(1)>",
                                url="javascript:window.__xss = 5")
    build_store(path, extra=[hostile])
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    srv = uvicorn.Server(uvicorn.Config(create_app(str(path)), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not srv.started:
        if time.monotonic() > deadline:
            pytest.fail("the server did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser(server):
    with playwright_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=_chromium(), headless=True, args=ARGS)
        yield b
        b.close()


def wait_until(page, script: str, *, timeout: float = 10.0) -> None:
    """Poll a JS expression until it is truthy (wait_for_function would need 'unsafe-eval' under our CSP)."""
    deadline = time.monotonic() + timeout
    while not page.evaluate(script):
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for: {script}")
        time.sleep(0.1)


def _open(browser, *, bypass_csp: bool = False):
    ctx = browser.new_context(viewport={"width": 1366, "height": 860}, bypass_csp=bypass_csp)
    pg = ctx.new_page()
    pg.problems = []
    pg.dialogs = []
    pg.on("console", lambda m: pg.problems.append(f"console: {m.text}") if m.type == "error" else None)
    pg.on("pageerror", lambda e: pg.problems.append(f"pageerror: {e}"))
    pg.on("response", lambda r: pg.problems.append(f"HTTP {r.status} {r.url}") if r.status >= 400 else None)
    pg.on("dialog", lambda d: (pg.dialogs.append(d.message), d.dismiss()))
    return ctx, pg


@pytest.fixture
def page(browser):
    """A page that records console errors, uncaught exceptions, dialogs and failed requests."""
    ctx, pg = _open(browser)
    yield pg
    ctx.close()


def test_search_then_entity_page_draws_timeline_and_graph(page, server, tmp_path):
    page.goto(server + "/")
    page.screenshot(path=str(tmp_path / "home.png"))
    assert page.locator(".card h2", has_text="Latest articles").is_visible()
    page.fill("#hq", "OpenAI")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search?q=OpenAI")
    page.screenshot(path=str(tmp_path / "search.png"))
    page.locator("#entity-results a", has_text="OpenAI").first.click()
    page.wait_for_url("**/entities/*")
    assert page.locator("h1").inner_text().endswith("OpenAI")
    page.wait_for_selector("#graph canvas")
    wait_until(page, "Number(document.getElementById('graph').dataset.nodes || 0) > 0")
    nodes = int(page.get_attribute("#graph", "data-nodes"))
    assert nodes > 3 and page.locator("#graph-list a").count() == nodes - 1
    assert page.locator("#timeline .pt-event circle").count() > 0     # its founding, the bid...
    page.screenshot(path=str(tmp_path / "entity.png"), full_page=True)
    page.select_option("#depth", "2")
    wait_until(page, "document.getElementById('graph').dataset.depth === '2'")
    assert int(page.get_attribute("#graph", "data-nodes")) > 1 and page.locator("#graph canvas").count() > 0
    assert page.problems == []


def test_timeline_point_opens_the_article_at_its_sentence(page, server):
    page.goto(server + "/entities/Sam%20Altman")
    href = page.locator("#timeline a.pt-quote").first.get_attribute("href")
    page.goto(server + href)
    page.wait_for_selector(".sent.flash")
    assert page.locator(".sent.flash").first.is_visible()


def test_article_highlights_and_fact_panel(page, server, tmp_path):
    page.goto(server + "/articles/ref-openai-musk")
    text = page.locator("#text")
    for cls in ("ent", "amt", "quote", "time"):
        assert text.locator(f".{cls}").count() > 0, cls
    assert text.locator(".amt", has_text="$97.4 billion").count() == 1
    speakers = {c for el in text.locator(".quote").all() for c in (el.get_attribute("class") or "").split()
                if c.startswith("spk-") and c != "spk-none"}
    assert len(speakers) >= 2, "quotes are coloured by speaker"
    page.screenshot(path=str(tmp_path / "article.png"))
    # The last quote in the panel is below the fold: activating it by keyboard scrolls its sentence into view.
    last = page.locator("details:has(summary:has-text('Quotes')) a.fact").last
    target = last.get_attribute("href")[1:]
    last.focus()
    page.keyboard.press("Enter")
    flashed = page.locator(".sent.flash")
    flashed.wait_for()
    page.wait_for_timeout(800)                         # smooth scrolling
    assert flashed.count() == 1 and flashed.locator(f"#{target}").count() + (flashed.get_attribute("id") == target) == 1
    box, viewport = flashed.bounding_box(), page.viewport_size
    assert 0 <= box["y"] < viewport["height"]
    page.screenshot(path=str(tmp_path / "article-fact.png"))
    page.uncheck("input[data-toggle='ent']")
    assert "no-ent" in (text.get_attribute("class") or "")
    assert page.problems == []


def test_deals_docs_and_keyboard(page, server, tmp_path):
    page.goto(server + "/deals")
    assert page.locator(".deal-full").count() > 0
    assert page.locator(".deal-full .reports a").count() > 0
    page.screenshot(path=str(tmp_path / "deals.png"))
    page.goto(server + "/docs")
    assert page.locator("code", has_text="/api/graph").count() > 0
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.id") == "q"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.tagName") == "BUTTON"
    assert page.problems == []


@pytest.mark.parametrize("bypass_csp", [False, True], ids=["with-csp", "escaping-alone"])
def test_hostile_article_renders_inert(browser, server, tmp_path, bypass_csp):
    ctx, page = _open(browser, bypass_csp=bypass_csp)
    page.goto(server + "/articles/xss-1")
    page.wait_for_timeout(300)
    page.screenshot(path=str(tmp_path / "xss.png"))
    assert page.dialogs == []
    assert page.evaluate("typeof window.__xss") == "undefined"
    body = page.locator("main")
    assert body.locator("script").count() == 0 and body.locator("img").count() == 0
    assert page.locator("a[href^='javascript:']").count() == 0
    assert page.locator("[onerror], [onmouseover]").count() == 0
    shown = page.locator("#text").inner_text()
    assert "<script>window.__xss = 1;" in shown and "<img src=x onerror=" in shown
    assert page.locator("h1").inner_text().startswith("<script>")
    assert page.locator(".meta .url").inner_text() == "javascript:window.__xss = 5"
    page.goto(server + "/search?q=" + "%3Cscript%3Ewindow.__xss%3D6%3C%2Fscript%3E")
    assert page.dialogs == [] and page.evaluate("typeof window.__xss") == "undefined"
    assert page.locator("h1").inner_text() == "Results for “<script>window.__xss=6</script>”"
    ctx.close()
