"""Input readers and their numbered errors."""
from __future__ import annotations

import json

import pytest

from newsgraph.errors import InputError
from newsgraph.ingest import check_published, check_text, read_inputs
from newsgraph.ingest.datelines import dateline_end, find_dateline
from newsgraph.nlp import chunks, is_heading
from conftest import REFERENCE, bbc


def one(path):
    items = list(read_inputs([path]))
    assert len(items) == 1
    return items[0]


def test_txt_is_kept_unchanged_and_bom_dropped(tmp_path):
    text = REFERENCE.read_text(encoding="utf-8")
    p = tmp_path / "a.txt"
    p.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    art = one(p).article
    assert art.text == text and art.dateline == "Paris, France"
    assert len(art.id) == 64


@pytest.mark.parametrize("content,code", [
    (b"", "NG101"), (b"   \n\n", "NG101"), (b"\x00\x01\x02binary", "NG102"), (b"caf\xe9 au lait", "NG103"),
    ("Le gouvernement a annoncé mardi une nouvelle série de mesures pour soutenir les entreprises "
     "touchées par la crise, selon un communiqué publié par le ministère. Les aides seront versées "
     "dès le mois prochain aux sociétés qui en feront la demande auprès des services fiscaux, a précisé "
     "le ministre lors d'une conférence de presse à Paris.".encode(), "NG105"),
])
def test_bad_text_inputs_get_numbered_errors(tmp_path, content, code):
    p = tmp_path / "bad.txt"
    p.write_bytes(content)
    item = one(p)
    assert item.article is None and item.error.code == code
    assert str(item.error).startswith(code) and str(p) in str(item.error)


def test_too_large_is_refused_not_truncated():
    with pytest.raises(InputError) as exc:
        check_text("word " * 50, "big.txt", max_chars=100)
    assert exc.value.code == "NG106"


def test_missing_file_and_unsupported_type(tmp_path):
    assert one(tmp_path / "nope.txt").error.code == "NG108"
    p = tmp_path / "x.pdf"
    p.write_bytes(b"%PDF-1.4 hello")
    assert one(p).error.code == "NG110"


def test_jsonl_records_metadata_and_bad_lines(tmp_path):
    p = tmp_path / "dump.jsonl"
    good = {"id": "bbc-1", "text": bbc("business", 1), "title": "Ad sales", "published": "2005-01-10",
            "url": "http://example.org/a", "source": "BBC"}
    p.write_text("\n".join([json.dumps(good), "{not json", json.dumps({"title": "no text"}), ""]), encoding="utf-8")
    items = list(read_inputs([p]))
    assert [i.error.code if i.error else "ok" for i in items] == ["ok", "NG107", "NG107"]
    art = items[0].article
    assert (art.id, art.title, art.published, art.source) == ("bbc-1", "Ad sales", "2005-01-10", "BBC")
    assert items[1].origin.endswith("dump.jsonl:2")


def test_html_main_text_and_metadata(tmp_path):
    body = "".join(f"<p>{line}</p>" for line in bbc("business", 2).splitlines()[2:] if line.strip())
    html = ("<html><head><title>Dollar gains on Greenspan speech</title>"
            '<meta name="author" content="Jane Reporter"><meta property="article:published_time" content="2005-01-08">'
            '<meta property="og:site_name" content="BBC News"></head><body><nav>Home | World</nav>'
            f"<article><h1>Dollar gains on Greenspan speech</h1>{body}</article><footer>© 2005</footer></body></html>")
    p = tmp_path / "page.html"
    p.write_text(html, encoding="utf-8")
    art = one(p).article
    assert "Greenspan" in art.text and "Home | World" not in art.text
    assert art.title == "Dollar gains on Greenspan speech"
    assert art.published == "2005-01-08" and art.source == "BBC News"
    assert art.authors == ("Jane Reporter",)
    empty = tmp_path / "empty.html"
    empty.write_text("<html><body><nav>menu</nav></body></html>", encoding="utf-8")
    assert one(empty).error.code == "NG104"


def test_published_must_be_iso():
    assert check_published("2025-02-11") == "2025-02-11"
    assert check_published("2025-02-11T09:30:00Z") == "2025-02-11T09:30:00Z"
    with pytest.raises(InputError) as exc:
        check_published("11/02/2025")
    assert exc.value.code == "NG109"


@pytest.mark.parametrize("text,dateline", [
    ("Paris, France| A fresh start", "Paris, France"),
    ("LONDON (Reuters) - The bank said", "LONDON (Reuters)"),
    ("WASHINGTON — The Senate voted", "WASHINGTON"),
    ("NEW YORK, Feb 11 (Reuters) - Shares fell", "NEW YORK, Feb 11 (Reuters)"),
    ("The bank said - no change", None),
    ("Ad sales boost Time Warner profit\n\nQuarterly profits", None),
    ("Apple said: The results", None),
])
def test_datelines(text, dateline):
    found = find_dateline(text)
    assert (found.text if found else None) == dateline
    if found:
        assert text[dateline_end(text)].isupper()


@pytest.mark.parametrize("line,heading", [
    ("OpenAI’s Mission vs. Musk’s Bid", True), ("A High-Stakes Power Struggle in AI", True),
    ("The Broader AI Landscape and What’s Next", True), ("Share This Post", True),
    ("The rejection underscores the deepening rivalry.", False),
    ("Musk, who helped co-found OpenAI in 2015 before severing ties in 2018, has long criticized it", False),
    ("“We are not for sale”", False),
])
def test_headings(line, heading):
    assert is_heading(line) is heading


def test_chunks_are_paragraph_aligned_and_lossless():
    text = "\n\n".join(bbc("business", n) for n in range(1, 30))
    parts = chunks(text, size=5000)
    assert "".join(parts) == text and len(parts) > 5
    assert all(len(p) <= 5000 for p in parts)
    assert all(p.endswith("\n") for p in parts[:-1])


def test_tables_of_names_are_english_enough_but_other_scripts_are_not():
    table = "\n".join(f"{n}. Runner{n} Surname{n} ( Kenya ) {n}:0{n}.{n}" for n in range(1, 30))
    assert check_text(table, "results.txt") == table
    with pytest.raises(InputError) as exc:
        check_text("Правительство объявило о новых мерах поддержки экономики страны. " * 10, "ru.txt")
    assert exc.value.code == "NG105"


def test_jsonl_line_separators_inside_text_do_not_split_records(tmp_path):
    p = tmp_path / "odd.jsonl"
    text = bbc("business", 3) + "\u2028Footnote\u0085end."
    p.write_text(json.dumps({"id": "x", "text": text}, ensure_ascii=False) + "\n", encoding="utf-8")
    items = list(read_inputs([p]))
    assert len(items) == 1 and items[0].article.text == text


def test_plain_text_headline_becomes_the_title(tmp_path):
    p = tmp_path / "bbc.txt"
    p.write_text(bbc("business", 1), encoding="utf-8")
    assert one(p).article.title == "Ad sales boost Time Warner profit"
    assert one(REFERENCE).article.title is None  # a dateline, not a headline
