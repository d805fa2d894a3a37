"""The store on both backends: facts in = facts out, idempotence, versions, migrations, queries."""
from __future__ import annotations

import dataclasses

import pytest

from newsgraph.errors import QueryError, StoreError
from newsgraph.store import queries as Q
from newsgraph.store.reader import article_aid, load_article
from newsgraph.store.schema import LATEST, MIGRATIONS, applied, current_version, upgrade
from newsgraph.store.writer import record_reject, store_article
from store_fixtures import backend, bid_report, corpus, reference_article, store, withdrawal_report  # noqa: F401


def _count(store, table: str) -> int:
    return store.scalar(f"SELECT COUNT(*) FROM {table}")


def test_article_round_trips_exactly(store):
    art = reference_article()
    store_article(store, art)
    back = load_article(store, article_aid(store, art.id))
    assert back.to_dict() == art.to_dict()
    assert Q.article(store, art.id) == art.to_dict()


def test_same_article_twice_changes_nothing(store):
    first = store_article(store, reference_article())
    tables = ["articles", "entities", "entity_aliases", "article_entities", "quotes", "events", "deals",
              "deal_reports", "search_docs"]
    before = {t: _count(store, t) for t in tables}
    again = store_article(store, reference_article())
    assert again.status == "unchanged" and again.aid == first.aid
    assert {t: _count(store, t) for t in tables} == before


def test_changed_text_under_same_url_is_a_new_version_and_history_stays(store):
    old = bid_report()
    store_article(store, old)
    new = dataclasses.replace(old, id="wire-bid-0210-v2", text=old.text.replace("on Monday", "late on Monday"),
                              quotes=[], events=[], amounts=[], times=[])
    new.entities = old.entities[:2]
    done = store_article(store, new)
    assert done.status == "new_version" and done.version == 2
    versions = Q.history(store, old.url)
    assert [(v["id"], v["version"], v["current"]) for v in versions] == [
        ("wire-bid-0210", 1, 0), ("wire-bid-0210-v2", 2, 1)]
    # the current version has no quote; the old one is still there as history
    assert Q.quotes(store) == []
    assert Q.article(store, old.id, version=1)["quotes"][0]["text"] == "No thank you,"
    deal = Q.deals(store, party="OpenAI")[0]
    assert [r["current_version"] for r in deal["reports"]] == [False]


def test_rejects_are_recorded_once_per_input_and_code(store):
    record_reject(store, "feed/a.json:3", "NG107", "NG107 record is not a JSON object")
    record_reject(store, "feed/a.json:3", "NG107", "NG107 record is not a JSON object")
    record_reject(store, "empty.txt", "NG101", "NG101 empty input")
    rows = {r["origin"]: r for r in Q.rejects(store)}
    assert set(rows) == {"feed/a.json:3", "empty.txt"}
    assert rows["feed/a.json:3"]["attempts"] == 2 and rows["empty.txt"]["code"] == "NG101"


def test_migrations_are_named_and_recorded(store):
    rows = applied(store)
    assert [r["version"] for r in rows] == [v for v, _, _ in MIGRATIONS]
    assert rows[0]["name"] == "core_articles_facts_entities" and current_version(store) == LATEST
    assert upgrade(store) == []   # nothing left to run


def test_older_database_is_upgraded_in_place(backend):
    url = backend.url()
    old = backend.open(url, migrate=False)
    assert upgrade(old, target=1) == ["core_articles_facts_entities"]
    # a version-1 store has no deals or search; write the v1 rows directly as that version would
    old.execute("INSERT INTO articles (id, text_sha, version, current, text, ingested_at, title) "
                "VALUES ('old-1', 'x', 1, 1, 'OpenAI says it is not for sale.', '2024-01-01', 'Old')")
    old.close()
    store = backend.open(url)
    assert current_version(store) == LATEST
    assert [r["name"] for r in applied(store)][1:3] == ["corrections_and_deals", "fulltext_search"]
    assert [r["article_id"] for r in Q.search(store, "not for sale")] == ["old-1"]   # back-filled index
    store_article(store, reference_article())
    assert Q.deals(store, party="Elon Musk")


def test_newer_database_is_refused(store):
    store.execute("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, 'from_the_future', 'x')",
                  (LATEST + 1,))
    with pytest.raises(StoreError) as err:
        upgrade(store)
    assert err.value.code == "NG302"


def test_failed_article_leaves_nothing_behind(store):
    bad = reference_article()
    bad.quotes.append(dataclasses.replace(bad.quotes[0]))   # duplicate quote id: the insert fails
    with pytest.raises(StoreError) as err:
        store_article(store, bad)
    assert err.value.code == "NG303"
    assert [_count(store, t) for t in ("articles", "article_entities", "quotes", "entities")] == [0, 0, 0, 0]


@pytest.fixture
def full(store):
    for art in corpus():
        store_article(store, art)
    return store


def test_timeline_orders_by_event_date_with_sources(full):
    items = Q.timeline(full, "Elon Musk")
    dates = [i["date"] for i in items]
    assert dates == sorted(dates) and dates[:2] == ["2015", "2022"]
    assert Q.timeline(full, "Elon Musk", limit=2, offset=1) == items[1:3]
    # the 2022 Twitter purchase comes from an article published in 2025
    twitter = items[1]
    assert twitter["type"] == "acquisition" and twitter["source"]["published"] == "2025-02-11"
    assert "$44 billion Musk paid" in twitter["source"]["sentence"]
    assert {r["name"] for r in twitter["roles"] if "name" in r} == {"Elon Musk", "Twitter"}
    withdrawn = [i for i in items if i.get("status") == "withdrawn"][0]
    assert withdrawn["date"] == "2025-02-12" and withdrawn["date_source"] == "event"


def test_timeline_of_a_speaker_includes_quotes(full):
    items = Q.timeline(full, "Sam Altman")
    quotes = [i for i in items if i["kind"] == "quote"]
    assert [q["source"]["article_id"] for q in quotes] == ["wire-bid-0210", "ref-openai-musk"]
    assert any(i["kind"] == "event" and i["type"] == "acquisition_bid" for i in items)   # the Twitter offer


def test_quotes_by_speaker_and_about(full):
    lehane = Q.quotes(full, speaker="Chris Lehane")
    assert len(lehane) == 1 and lehane[0]["text"].startswith("Musk’s offer comes")
    about_musk = Q.quotes(full, about="Elon Musk")
    assert [q["speaker"]["name"] for q in about_musk] == ["Chris Lehane"]
    assert Q.quotes(full, speaker="Sam Altman", about="Elon Musk") == []


def test_deals_merge_reports_and_keep_disagreements(full):
    (deal,) = Q.deals(full, party="OpenAI")
    assert {(p["role"], p["name"]) for p in deal["parties"]} == {("buyer", "Elon Musk"), ("target", "OpenAI")}
    assert deal["statuses"] == ["proposed", "rejected", "withdrawn"] and deal["status"] == "rejected"
    assert [p["value"] for p in deal["prices"]] == [97.4e9, 97.4e9, 97.375e9]
    assert len({r["source"]["article_id"] for r in deal["reports"]}) == 3
    assert all(r["source"]["sentence"] for r in deal["reports"])
    assert [d["id"] for d in Q.deals(full, status="completed")] != [deal["id"]]
    assert {d["parties"][0]["name"] for d in Q.deals(full, party="Twitter")} == {"Elon Musk", "Sam Altman"}


def test_conflicting_reports_on_one_day_stand_side_by_side(full):
    art = withdrawal_report()
    other = dataclasses.replace(art, id="other-desk", url=None, text=art.text.replace("$97.375bn", "$97.5bn"))
    other.amounts = [dataclasses.replace(a, text="$97.5bn", value=97.5e9, end=a.end - 1) for a in art.amounts]
    store_article(full, other)
    (deal,) = Q.deals(full, party="OpenAI")
    (conflict,) = deal["conflicts"]
    assert conflict["date"] == "2025-02-14"
    assert sorted(r["price"]["value"] for r in conflict["reports"]) == [97.375e9, 97.5e9]


def test_entity_profile(full):
    p = Q.entity_profile(full, "OpenAI")
    assert p["type"] == "ORG" and p["article_count"] == 3
    assert {(t["person"]["name"], t["title"]) for t in p["titles"]} == {
        ("Sam Altman", "CEO"), ("Chris Lehane", "Chief Global Affairs Officer")}
    assert p["cooccurring"][0]["name"] == "Elon Musk"
    assert any(r["type"] == "founder" and r["other"]["name"] == "Elon Musk" for r in p["relations"])
    assert Q.entity_profile(full, str(p["id"]))["name"] == "OpenAI"
    assert Q.entity_profile(full, "OpenAI's chief executive")["name"] == "Sam Altman"
    with pytest.raises(QueryError) as err:
        Q.entity_profile(full, "Nobody Atall")
    assert err.value.code == "NG401"


def test_search_articles_and_quotes(full):
    hits = Q.search(full, "not for sale")
    assert hits[0]["kind"] == "quote" and hits[0]["speaker"] == "Sam Altman"
    assert {h["article_id"] for h in hits} == {"ref-openai-musk"}
    assert Q.search(full, "golden rule")[0]["article_id"] == "bbc-brown-budget"
    with pytest.raises(QueryError):
        Q.search(full, "  ")


def test_articles_entities_and_graph(full):
    assert [a["id"] for a in Q.articles(full, entity="Gordon Brown")] == ["bbc-brown-pledge", "bbc-brown-budget"]
    assert [a["id"] for a in Q.articles(full, from_="2025-02-12")] == ["wire-withdraw-0213"]
    assert [a["id"] for a in Q.articles(full, q="Treasury", to="2005-03-16")] == ["bbc-brown-budget"]
    assert [e["name"] for e in Q.entities(full, q="brown")] == ["Gordon Brown", "Nick Brown"]
    g = Q.graph(full, "OpenAI")
    names = {n["id"]: n["name"] for n in g["nodes"]}
    typed = {(names[e["source"]], e["type"], names[e["target"]]) for e in g["edges"]}
    assert {("Elon Musk", "deal", "OpenAI"), ("Sam Altman", "title", "OpenAI"),
            ("Elon Musk", "founder", "OpenAI")} <= typed


def test_version_6_database_gets_counts_and_quote_subjects_backfilled(backend):
    url = backend.url()
    store = backend.open(url)
    for art in corpus():
        store_article(store, art)
    expected = (Q.quotes(store, about="Elon Musk"), Q.entities(store, limit=5))
    # take it back to what newsgraph wrote at schema version 6
    for sql in ("DROP TABLE quote_about", "DROP INDEX entities_articles", "ALTER TABLE entities DROP COLUMN articles",
                "DELETE FROM schema_migrations WHERE version = 7"):
        store.execute(sql)
    store.close()
    again = backend.open(url)
    assert applied(again)[-1]["name"] == "entity_counts_and_quote_subjects"
    assert (Q.quotes(again, about="Elon Musk"), Q.entities(again, limit=5)) == expected
