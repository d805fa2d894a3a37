"""The benchmark scripts run end to end on a handful of BBC articles, so they cannot rot."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import bench_module

BENCH = Path(__file__).resolve().parents[1] / "bench"
PNG = b"\x89PNG\r\n\x1a\n"


def _run(script: str, *args: str, tmp: Path) -> dict:
    out = tmp / f"{script}.json"
    plot = tmp / f"{script}.png"
    proc = subprocess.run([sys.executable, str(BENCH / f"{script}.py"), *args, "--json", str(out), "--plot", str(plot)],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert plot.read_bytes().startswith(PNG)
    return json.loads(out.read_text())




@pytest.mark.slow
def test_extract_throughput_smoke(tmp_path):
    res = _run("extract_throughput", "--limit", "4", "--jobs", "1", "--rounds", "2", "--check", tmp=tmp_path)
    rows = {r["mode"]: r for r in res["summary"]["rows"]}
    assert rows["spacy"]["articles"] == rows["newsgraph"]["articles"] == 4
    assert rows["spacy"]["ratio_wall"] == 1.0 and rows["newsgraph"]["ratio_wall"] > 0
    assert 0 < rows["newsgraph"]["peak_rss_mib"] < 1024
    lay = res["summary"]["layers"]
    assert lay["parse_cpu_s"] > 0 and set(lay["share_of_parse"]) >= {"entities", "quotes", "events"}
    assert res["machine"]["nproc"] >= 1 and res["machine"]["cpu"]


@pytest.mark.slow
def test_memory_stream_smoke(tmp_path):
    res = _run("memory_stream", "-n", "6", "--every", "2", "--max-slope", "1e9", tmp=tmp_path)
    assert [s["articles"] for s in res["samples"]] == [0, 2, 4, 6]
    assert res["failed"] == 0 and 0 < res["peak_rss_mib"] < 1024
    assert res["flat"] is None and res["slope_mib_per_10k"] is None      # 6 articles: too short to judge


@pytest.mark.slow
def test_memory_stream_with_workers_short_articles_and_a_spacy_baseline(tmp_path):
    base = tmp_path / "spacy.json"
    proc = subprocess.run([sys.executable, str(BENCH / "memory_stream.py"), "-n", "4", "--every", "2",
                           "--paragraphs", "2", "--engine", "spacy", "--json", str(base)],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert json.loads(base.read_text())["samples"][-1]["articles"] == 4
    res = _run("memory_stream", "-n", "4", "--every", "2", "--jobs", "2", "--paragraphs", "2",
               "--compare", str(base), tmp=tmp_path)
    assert res["jobs"] == 2 and res["paragraphs"] == 2 and res["failed"] == 0
    assert res["mean_chars"] < 1000                                       # the BBC texts cut to 2 paragraphs
    assert len(res["samples"][-1]["workers_mib"]) == 2                    # both workers sampled
    assert 0 < res["peak_rss_mib_worker"] < 1024


def test_memory_slope_tells_flat_from_growing():
    slope = bench_module("memory_stream").slope
    flat = [{"articles": i * 100, "rss_mib": 300.0 + (i % 2)} for i in range(20)]
    growing = [{"articles": i * 100, "rss_mib": 300.0 + i} for i in range(20)]   # 1 MiB per 100 articles
    assert abs(slope(flat, 0.25)) < 1
    assert slope(growing, 0.25) == pytest.approx(100.0)


def test_stream_ids_and_texts_are_new_each_time():
    articles = list(bench_module("memory_stream").stream(["One text about a bid for Shell.", "Another one."], 5))
    assert len({a.id for a in articles}) == 5 and len({a.text for a in articles}) == 5
    assert articles[2].text.startswith("One text about a bid for Shell.")


@pytest.mark.slow
def test_cluster_throughput_smoke(tmp_path):
    pytest.importorskip("distributed")
    res = _run("cluster_throughput", "--limit", "4", "--workers", "1", "--batch-size", "2", tmp=tmp_path)
    assert res["spacy"]["articles"] == res["cluster"][0]["articles"] == 4
    assert res["cluster"][0]["ratio"] > 0 and res["cluster"][0]["worker_peak_rss_mib"] < 1024
