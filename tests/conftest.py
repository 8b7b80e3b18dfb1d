"""Shared fixtures: keep them small and general."""

from __future__ import annotations

import os
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True, scope="session")
def _own_build_cache(tmp_path_factory: pytest.TempPathFactory):
    """Builds in tests (and the sitegen processes they start) use a cache of their own, never
    the developer's .cache/ in the checkout."""
    saved = os.environ.get("SITEGEN_CACHE")
    os.environ["SITEGEN_CACHE"] = str(tmp_path_factory.mktemp("sitegen-cache"))
    yield
    if saved is None:
        os.environ.pop("SITEGEN_CACHE", None)
    else:
        os.environ["SITEGEN_CACHE"] = saved


def write_tree(base: Path, files: dict[str, str | bytes]) -> Path:
    """Write ``{relative path: text or bytes}`` under ``base``; text is dedented. Returns base."""
    for rel, content in files.items():
        path = base / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(textwrap.dedent(content).lstrip("\n"), encoding="utf-8")
    return base


@pytest.fixture
def tree(tmp_path: Path) -> Callable[[dict[str, str | bytes]], Path]:
    """``tree({"data/px/county.yaml": "name: 蒲县"})`` writes files under a fresh tmp_path."""
    return lambda files: write_tree(tmp_path, files)


@pytest.fixture(scope="session")
def site_settings():
    """The repository's site configuration (standard code lists and site targets)."""
    from generator.diagnostics import Report
    from generator.load.config import load_settings

    report = Report()
    loaded = load_settings(ROOT / "site_config", report)
    assert loaded is not None and not report.diagnostics, report.diagnostics
    return loaded
