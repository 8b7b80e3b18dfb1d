"""Precompressed .gz copies of the built site (for nginx's gzip_static and IIS)."""

from __future__ import annotations

import gzip
import os
import time
from pathlib import Path

from generator.publish.precompress import precompress

PAGE = "<html>" + "两个覆盖工作进展" * 200 + "</html>"


def site(tmp_path: Path) -> Path:
    root = tmp_path / "site"
    (root / "assets").mkdir(parents=True)
    (root / "index.html").write_text(PAGE, encoding="utf-8")
    (root / "assets" / "site.css").write_text("body{margin:0}\n" * 40, encoding="utf-8")
    (root / "assets" / "logo.png").write_bytes(b"\x89PNG" * 100)
    (root / "tiny.js").write_text("1", encoding="utf-8")
    return root


def test_copies_are_gzip_of_their_file_and_the_same_every_time(tmp_path):
    root = site(tmp_path)
    assert precompress(root) == 2
    first = (root / "index.html.gz").read_bytes()
    assert gzip.decompress(first).decode("utf-8") == PAGE
    assert not (root / "assets" / "logo.png.gz").exists()  # already compressed formats
    assert not (root / "tiny.js.gz").exists()  # too small to gain anything
    again = site(tmp_path / "again")
    precompress(again)
    assert (again / "index.html.gz").read_bytes() == first  # no name, no time stamp
    assert precompress(root) == 0  # nothing changed: nothing written


def test_a_changed_file_gets_a_new_copy_without_touching_a_linked_one(tmp_path):
    root = site(tmp_path)
    precompress(root)
    published = tmp_path / "published.gz"
    os.link(root / "index.html.gz", published)  # as the hard-linked published site
    old = published.read_bytes()
    time.sleep(0.01)
    (root / "index.html").unlink()
    (root / "index.html").write_text(PAGE + "新", encoding="utf-8")
    assert precompress(root) == 1
    assert gzip.decompress((root / "index.html.gz").read_bytes()).decode() == PAGE + "新"
    assert published.read_bytes() == old


def test_the_copy_of_a_removed_page_goes_too(tmp_path):
    root = site(tmp_path)
    precompress(root)
    (root / "index.html").unlink()
    precompress(root)
    assert not (root / "index.html.gz").exists()
    assert (root / "assets" / "site.css.gz").exists()


def test_a_removed_pages_folder_goes_too(tmp_path):
    root = site(tmp_path)
    (root / "grids" / "a").mkdir(parents=True)
    (root / "grids" / "a" / "index.html").write_text(PAGE, encoding="utf-8")
    precompress(root)
    (root / "grids" / "a" / "index.html").unlink()
    precompress(root)
    assert not (root / "grids").exists()


def test_a_large_download_gets_a_copy_quickly_and_the_same_every_time(tmp_path):
    """metrics.json of a province (3.4 MB) is compressed at level 6, not 9 (a tenth of the
    time, in every rebuild that changes a figure): still its gzip, still the same bytes."""
    import json

    data = json.dumps([{"county": f"county-{n:03}", "rate": n / 7} for n in range(30_000)])
    assert len(data) > 1 << 20
    copies = []
    for name in ("a", "b"):
        root = tmp_path / name
        root.mkdir()
        (root / "metrics.json").write_text(data, encoding="utf-8")
        assert precompress(root) == 1
        copies.append((root / "metrics.json.gz").read_bytes())
    assert gzip.decompress(copies[0]).decode("utf-8") == data and copies[0] == copies[1]
    assert copies[0] == gzip.compress(data.encode("utf-8"), compresslevel=6, mtime=0)
