"""sitegen's build cache lives in a folder of its own and never deletes what it did not write."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MINIMAL = ROOT / "tests" / "scenarios" / "valid-minimal"


def run(project: Path, *args: str, cache: str | None = None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "SITEGEN_CACHE"}
    if cache is not None:
        env["SITEGEN_CACHE"] = cache
    return subprocess.run(
        [sys.executable, "-m", "generator", "--project", ".", *args],
        capture_output=True, text=True, cwd=project, env=env,
    )  # fmt: skip


def test_a_clean_build_keeps_other_tools_caches(tmp_path):
    project = tmp_path / "ledger"
    for name in ("site_config", "templates", "content/assets"):
        shutil.copytree(ROOT / name, project / name)
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    shutil.copytree(MINIMAL / "data", project / "data")
    pip = project / ".cache" / "pip" / "http" / "wheel.bin"
    pip.parent.mkdir(parents=True)
    pip.write_bytes(b"pip's")
    done = run(project, "build", "--clean")
    assert done.returncode == 0, done.stderr
    assert pip.read_bytes() == b"pip's"
    own = project / ".cache" / "sitegen"
    assert (
        (own / "CACHEDIR.TAG").read_text().startswith("Signature: 8a477f597d28d172789f06886806bc55")
    )
    assert (own / "counties").is_dir()
    assert sorted(p.name for p in (project / ".cache").iterdir()) == ["pip", "sitegen"]


def test_a_cache_folder_holding_other_files_is_refused(tmp_path):
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "notes.txt").write_text("重要", encoding="utf-8")
    done = run(ROOT, "validate", cache=str(folder))
    assert done.returncode == 2
    assert "不是 sitegen 写的文件" in done.stderr and "notes.txt" in done.stderr
    assert "Traceback" not in done.stderr
    assert sorted(p.name for p in folder.iterdir()) == ["notes.txt"]
