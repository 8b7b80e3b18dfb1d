"""One build at a time: per cache, and per output folder (two projects may name the same --out).
Real processes contend for the real locks; without fcntl (as on Windows) too."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# Enters the lock, notes it, holds it a moment, notes the leaving. With "nofcntl", Python's
# fcntl cannot be imported, as on Windows: the locks are lock files (filelock's own lock here,
# LockFileEx on Windows).
HOLDER = """
import sys, time
from pathlib import Path
if sys.argv[1] == "nofcntl":
    sys.modules["fcntl"] = None
from generator.build import cache
kind, target, log, name = sys.argv[2], Path(sys.argv[3]), Path(sys.argv[4]), sys.argv[5]
lock = cache.exclusive(target) if kind == "cache" else cache.exclusive_folder(target)
with lock:
    with log.open("a") as out:
        out.write(f"{name} in\\n")
    time.sleep(0.5)
    with log.open("a") as out:
        out.write(f"{name} out\\n")
"""


def hold(mode: str, kind: str, target: Path, log: Path, name: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-W", "ignore", "-c", HOLDER, mode, kind, str(target), str(log), name],
        cwd=ROOT, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip


@pytest.mark.parametrize("mode", ["fcntl", "nofcntl"])
@pytest.mark.parametrize("kind", ["cache", "folder"])
def test_a_second_build_waits_for_the_first(tmp_path: Path, mode: str, kind: str) -> None:
    target, log = tmp_path / "locked", tmp_path / "log"
    first = hold(mode, kind, target, log, "first")
    deadline = time.monotonic() + 60
    while not (log.is_file() and "first in" in log.read_text()):
        assert first.poll() is None, first.stderr.read()  # type: ignore[union-attr]
        assert time.monotonic() < deadline, "the first never took the lock"
        time.sleep(0.05)
    second = hold(mode, kind, target, log, "second")
    for process in (first, second):
        _, errors = process.communicate(timeout=60)
        assert process.returncode == 0, errors
    assert log.read_text().split("\n") == ["first in", "first out", "second in", "second out", ""]


def test_every_command_imports_without_fcntl() -> None:
    """As on Windows, where Python has no fcntl module."""
    done = subprocess.run(
        [sys.executable, "-W", "ignore", "-c",
         "import sys; sys.modules['fcntl'] = None; import generator.cli.main"],
        cwd=ROOT, capture_output=True, text=True,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr


def test_without_fcntl_the_folders_lock_file_is_the_users_and_named_by_path(tmp_path: Path):
    from generator.build.cache import folder_lock_file

    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    b.mkdir()
    assert folder_lock_file(a) == folder_lock_file(tmp_path / "x" / ".." / "a")
    assert folder_lock_file(a) != folder_lock_file(b)
    assert not folder_lock_file(a).is_relative_to(a)  # nothing is written into the site's folder
