"""Hand-built articles for the store tests, modelled on real reports (facts placed at real offsets),
and a ``store`` factory for both backends (PostgreSQL when NEWSGRAPH_TEST_PG is set)."""
from __future__ import annotations

import os
import uuid
from pathlib import Path
from urllib.parse import quote

import click
import pytest

from newsgraph.model import Amount, Article, Entity, Event, Quote, Relation, Role, Span, TimeExpr
from newsgraph.store.cli import register
from newsgraph.store.db import open_store

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("NEWSGRAPH_SHARED") or REPO.parent / "shared")
PG_DSN = os.environ.get("NEWSGRAPH_TEST_PG")
REQUIRE = bool(os.environ.get("NEWSGRAPH_REQUIRE_SERVICES"))   # CI: a missing server fails, never skips
BACKENDS = ["sqlite", pytest.param("postgres", marks=[
    pytest.mark.postgres,
    pytest.mark.skipif(not PG_DSN and not REQUIRE,
                       reason="NEWSGRAPH_TEST_PG is not set: no PostgreSQL server to test against")])]


def pg_schema_dsn(schema: str) -> str:
    """The test DSN with its search_path set to ``schema`` (one schema per test keeps them apart)."""
    sep = "&" if "?" in PG_DSN else "?"
    return f"{PG_DSN}{sep}options={quote(f'-c search_path={schema}')}"


class Backend:
    """Makes stores on one backend; cleans up PostgreSQL schemas afterwards."""

    def __init__(self, kind: str, tmp: Path):
        if kind == "postgres" and not PG_DSN:
            pytest.fail("NEWSGRAPH_REQUIRE_SERVICES is set but NEWSGRAPH_TEST_PG is not")
        self.kind, self.tmp, self.schemas, self.opened = kind, tmp, [], []

    def url(self) -> str:
        if self.kind == "sqlite":
            return str(self.tmp / f"news-{uuid.uuid4().hex[:8]}.db")
        import psycopg

        schema = f"t_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(PG_DSN, autocommit=True) as conn:
            conn.execute(f"CREATE SCHEMA {schema}")
        self.schemas.append(schema)
        return pg_schema_dsn(schema)

    def open(self, url: str | None = None, **kw):
        store = open_store(url or self.url(), **kw)
        self.opened.append(store)
        return store

    def cleanup(self) -> None:
        for s in self.opened:
            try:
                s.close()
            except Exception:
                pass
        if self.schemas:
            import psycopg

            with psycopg.connect(PG_DSN, autocommit=True) as conn:
                for schema in self.schemas:
                    conn.execute(f"DROP SCHEMA {schema} CASCADE")


class Builder:
    """Places facts at the offsets of given substrings of the text (the n-th occurrence)."""

    def __init__(self, id: str, text: str, **meta):
        self.a = Article(id=id, text=text, **meta)
        self._n = {"e": 0, "q": 0, "a": 0, "t": 0, "v": 0, "r": 0}

    def _id(self, p: str) -> str:
        self._n[p] += 1
        return f"{p}{self._n[p]}"

    def span(self, s: str, nth: int = 0) -> Span:
        i = -1
        for _ in range(nth + 1):
            i = self.a.text.index(s, i + 1)
        return Span(i, i + len(s), s)

    def entity(self, etype: str, name: str, *mentions: str, aliases: tuple[str, ...] = ()) -> str:
        eid = self._id("e")
        spans = tuple(self.span(m) for m in (mentions or (name,)))
        self.a.entities.append(Entity(eid, etype, name, aliases, spans))
        return eid

    def quote(self, text: str, speaker: str | None, cue: str = "said", kind: str = "direct") -> str:
        qid, sp = self._id("q"), self.span(text)
        self.a.quotes.append(Quote(qid, kind, text, sp.start, sp.end, speaker, None, cue))
        return qid

    def amount(self, text: str, value: float, unit: str = "USD") -> str:
        aid, sp = self._id("a"), self.span(text)
        self.a.amounts.append(Amount(aid, text, sp.start, sp.end, value, unit))
        return aid

    def time(self, text: str, value: str, ttype: str = "DATE") -> str:
        tid, sp = self._id("t"), self.span(text)
        self.a.times.append(TimeExpr(tid, text, sp.start, sp.end, ttype, value))
        return tid

    def event(self, etype: str, trigger: str, status: str | None = None, **roles: str) -> str:
        vid, sp = self._id("v"), self.span(trigger)
        self.a.events.append(Event(vid, etype, sp.start, sp.end, tuple(Role(k, v) for k, v in roles.items()),
                                   status, trigger))
        return vid

    def relation(self, rtype: str, subject: str, obj: str | None, at: str, value: str | None = None) -> str:
        rid, sp = self._id("r"), self.span(at)
        self.a.relations.append(Relation(rid, rtype, subject, sp.start, sp.end, obj, value))
        return rid


def reference_article() -> Article:
    """The shared reference article (OpenAI rejects Musk's bid), facts placed by hand."""
    text = (SHARED / "examples" / "openai-musk-bid.txt").read_text(encoding="utf-8")
    b = Builder("ref-openai-musk", text, title="Altman rejects Musk bid", published="2025-02-11",
                url="https://example.org/openai-musk-bid")
    openai = b.entity("ORG", "OpenAI", "OpenAI")
    altman = b.entity("PERSON", "Sam Altman", "Sam Altman", "Altman", aliases=("Altman",))
    musk = b.entity("PERSON", "Elon Musk", "Elon Musk", "Musk", aliases=("Musk",))
    lehane = b.entity("PERSON", "Chris Lehane", "Chris Lehane", "Lehane", aliases=("Lehane",))
    b.entity("ORG", "The Wall Street Journal", "The Wall Street Journal")
    b.entity("ORG", "xAI", "xAI")
    b.entity("ORG", "Microsoft", "Microsoft")
    twitter = b.entity("ORG", "Twitter", "Twitter")
    b.relation("title", altman, openai, "OpenAI CEO Sam Altman", "CEO")
    b.relation("title", lehane, openai, "Chief Global Affairs Officer, Chris Lehane", "Chief Global Affairs Officer")
    b.relation("founder", musk, openai, "a co-founder of OpenAI")
    price = b.amount("$97.4 billion", 97.4e9)
    b.event("acquisition_bid", "takeover bid", "rejected", bidder=musk, target=openai, price=price)
    b.quote("OpenAI has a mission… of making AGI benefit all of humanity. We are not for sale.", altman, "stating")
    b.quote("Musk’s offer comes from a competitor who has struggled to keep up with the technology and "
            "compete with us in the marketplace,", lehane, "stated")
    tw_price = b.amount("$9.74 billion", 9.74e9, )
    b.event("acquisition_bid", "offered to buy", "proposed", bidder=altman, target=twitter, price=tw_price)
    y2022 = b.time("2022", "2022")
    paid = b.amount("$44 billion", 44e9)
    b.event("acquisition", "paid", "completed", acquirer=musk, target=twitter, price=paid, date=y2022)
    y2015 = b.time("2015", "2015")
    b.event("founding", "co-found", None, founder=musk, org=openai, date=y2015)
    return b.a


def bid_report() -> Article:
    """An earlier report of the same bid (as the wires put it on 10 February 2025)."""
    text = ("A consortium led by Elon Musk has offered $97.4bn to buy the non-profit that controls OpenAI, "
            "the Wall Street Journal reported on Monday.\n"
            "OpenAI's chief executive dismissed the offer. \"No thank you,\" he wrote on X.\n"
            "Musk co-founded the firm with Altman in 2015 but left its board in 2018.")
    b = Builder("wire-bid-0210", text, title="Musk-led group bids $97.4bn for OpenAI", published="2025-02-10",
                url="https://example.org/musk-bid")
    musk = b.entity("PERSON", "Elon Musk", "Elon Musk", "Musk", aliases=("Musk",))
    openai = b.entity("ORG", "OpenAI", "OpenAI")
    ceo = b.entity("PERSON", "OpenAI's chief executive", "OpenAI's chief executive")
    b.entity("PERSON", "Altman", "Altman")
    b.entity("ORG", "Wall Street Journal", "Wall Street Journal")
    price = b.amount("$97.4bn", 97.4e9)
    monday = b.time("Monday", "2025-02-10")
    b.event("acquisition_bid", "offered", "proposed", bidder=musk, target=openai, price=price, date=monday)
    b.quote("No thank you,", ceo, "wrote")
    return b.a


def withdrawal_report() -> Article:
    """A later report in which the bidder's lawyers say the bid is withdrawn, at a different price."""
    text = ("Elon Musk will withdraw his bid for OpenAI if the ChatGPT maker stays a non-profit, his lawyers "
            "said in a court filing on Wednesday. The offer, put at $97.375bn in the filing, was rejected "
            "by the OpenAI board on 14 February.")
    b = Builder("wire-withdraw-0213", text, title="Musk to pull OpenAI bid if it stays non-profit",
                published="2025-02-13")
    musk = b.entity("PERSON", "Elon Musk", "Elon Musk")
    openai = b.entity("ORG", "OpenAI", "OpenAI", "OpenAI", aliases=())
    wed = b.time("Wednesday", "2025-02-12")
    feb14 = b.time("14 February", "2025-02-14")
    price = b.amount("$97.375bn", 97.375e9)
    b.event("acquisition_bid", "withdraw", "withdrawn", bidder=musk, target=openai, date=wed)
    b.event("acquisition_bid", "rejected", "rejected", bidder=musk, target=openai, price=price, date=feb14)
    return b.a


def two_browns() -> list[Article]:
    """Two politicians who share a surname (as in BBC politics stories of 2005), then a bare "Brown"."""
    a1 = Builder("bbc-brown-budget", "Chancellor Gordon Brown said the Treasury would meet its golden rule. "
                 "Mr Brown told MPs the economy was strong.", published="2005-03-16")
    gb = a1.entity("PERSON", "Gordon Brown", "Gordon Brown", "Brown", aliases=("Brown",))
    tr = a1.entity("ORG", "Treasury", "Treasury")
    a1.relation("title", gb, tr, "Chancellor Gordon Brown", "Chancellor")
    a2 = Builder("bbc-nick-brown", "Labour MP Nick Brown criticised the farming policy of the Department "
                 "for Environment, Food and Rural Affairs.", published="2005-02-02")
    a2.entity("PERSON", "Nick Brown", "Nick Brown")
    a2.entity("ORG", "Department for Environment, Food and Rural Affairs",
              "Department for Environment, Food and Rural Affairs")
    a3 = Builder("bbc-brown-pledge", "Brown said the Treasury had set aside money for pensioners.",
                 published="2005-03-20")
    a3.entity("PERSON", "Brown", "Brown")
    a3.entity("ORG", "Treasury", "Treasury")
    return [a1.a, a2.a, a3.a]


@pytest.fixture(params=BACKENDS)
def backend(request, tmp_path):
    """Store factory on SQLite, then on PostgreSQL (NEWSGRAPH_TEST_PG)."""
    b = Backend(request.param, tmp_path)
    yield b
    b.cleanup()


@pytest.fixture
def store(backend):
    """An empty, migrated store on each backend."""
    return backend.open()


def corpus() -> list[Article]:
    """All the hand-built articles, in publication-unrelated order."""
    return [reference_article(), bid_report(), withdrawal_report(), *two_browns()]


def synthetic(n: int) -> list[Article]:
    """``n`` distinct articles: the reference article, each with one more named analyst."""
    base = reference_article()
    out = []
    for i in range(n):
        extra = f"\nAnalyst Dana Whitfield{i} said the bid was a negotiating tactic."
        b = Builder(f"synthetic-{i:05d}", base.text + extra, published=f"2025-02-{1 + i % 28:02d}",
                    url=f"https://example.org/synthetic/{i}")
        b.a.entities, b.a.quotes, b.a.amounts = list(base.entities), list(base.quotes), list(base.amounts)
        b.a.times, b.a.events, b.a.relations = list(base.times), list(base.events), list(base.relations)
        b._n.update(e=len(base.entities), q=len(base.quotes))
        analyst = b.entity("PERSON", f"Dana Whitfield{i}", f"Dana Whitfield{i}")
        b.quote("the bid was a negotiating tactic", analyst, kind="indirect")
        out.append(b.a)
    return out


@pytest.fixture(scope="module")
def cli() -> click.Group:
    """A bare command group with the store's commands registered, as newsgraph.cli does."""
    @click.group()
    def main() -> None:
        pass
    register(main)
    return main
