"""The record cache: a cached load reports exactly what an uncached one does."""

from __future__ import annotations

import shutil
from pathlib import Path

from generator.build.record_cache import RecordCache
from generator.diagnostics import Report
from generator.load.loader import load_ledger

ROOT = Path(__file__).resolve().parent.parent


def load(data: Path, cache_file: Path | None) -> tuple[dict, list[str], int]:
    report = Report()
    cache = RecordCache(cache_file, "test") if cache_file else None
    ledger = load_ledger(data, report, cache)
    if cache:
        cache.save()
    records = {
        (c.id, kind, rid): record.model_dump()
        for c in ledger.counties
        for kind in ("grid", "org", "activity", "need")
        for rid, record in c.records(kind).items()
    }
    return records, [d.format() for d in report.sorted()], cache.hits if cache else 0


def test_cached_load_equals_uncached(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data" / "jixian", data / "jixian")
    (data / "jixian" / "orgs" / "broken.yaml").write_text("name: 坏\nkind: x\n", "utf-8")
    cache = tmp_path / "records.pickle"
    first = load(data, cache)
    second = load(data, cache)
    assert second[2] == sum(1 for _ in data.rglob("*.yaml")) - 1  # all but county.yaml
    assert first[:2] == second[:2] == load(data, None)[:2]
    assert any("broken.yaml:2:7: invalid-choice" in line for line in second[1])


def test_a_changed_file_is_read_again_even_with_the_same_size(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data" / "jixian", data / "jixian")
    cache = tmp_path / "records.pickle"
    load(data, cache)
    grid = data / "jixian" / "grids" / "sida-trade.yaml"
    text = grid.read_text(encoding="utf-8")
    changed = text.replace("workers: 2", "workers: 3")
    assert len(changed) == len(text)
    grid.write_text(changed, encoding="utf-8")
    records, _, hits = load(data, cache)
    assert records[("jixian", "grid", "sida-trade")]["workers"] == 3
    assert hits == sum(1 for _ in data.rglob("*.yaml")) - 2  # all but county.yaml and the grid


def test_an_unreadable_cache_is_ignored(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data" / "jixian", data / "jixian")
    cache = tmp_path / "records.pickle"
    cache.write_bytes(b"not a pickle")
    assert load(data, cache)[:2] == load(data, None)[:2]
