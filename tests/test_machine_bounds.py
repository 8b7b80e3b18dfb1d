"""Issue 15, item 8: small inputs must not take the machine.

A 2 KB workbook with one stray cell at XFD1048576 is refused with the sheet and the cell
(it once made openpyxl's grid of 17 billion cells and ran out of 6 GB), while a stray cell
not far below the ledger is read as before. A build killed outright leaves no helper process
running: each asks the kernel to kill it when its parent dies.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import openpyxl

from tests.test_import import clerk_workbook, import_, snapshot
from tests.test_import import project as project  # noqa: F401  (the fixture)

ROW = [1, "蒲县顺达快递", "企业", "快递物流", "", 3, 12, ""]


def _with_stray_cell(path: Path, cell: str) -> Path:
    clerk_workbook(path, [ROW])
    workbook = openpyxl.load_workbook(path)
    workbook["台账"][cell] = "x"
    workbook.save(path)
    return path


def test_a_stray_cell_at_the_sheets_far_corner_is_refused_by_name(project: Path):
    path = _with_stray_cell(project / "台账.xlsx", "XFD1048576")
    assert path.stat().st_size < 20_000
    before = snapshot(project / "data")
    started = time.monotonic()
    done = import_(path.name, "--kind", "orgs")
    assert time.monotonic() - started < 60
    assert done.exit_code == 1, done.output
    assert done.stderr.startswith("台账.xlsx: import-file-unreadable: "), done.stderr
    assert "XFD1048576" in done.stderr and "台账" in done.stderr
    assert snapshot(project / "data") == before


def test_a_stray_cell_near_the_ledger_does_not_stop_the_import(project: Path):
    path = _with_stray_cell(project / "台账.xlsx", "Z400")
    done = import_(path.name, "--kind", "orgs")
    assert done.exit_code == 0, done.output
    assert "已写入 1 个文件。" in done.stdout
    assert "import-file-unreadable" not in done.output


_PARENT = """
import sys, time
from generator.build.workers import process_pool

pool = process_pool(2)
pids = [pool.submit(__import__("os").getpid).result() for _ in range(4)]
print(" ".join(map(str, sorted(set(pids)))), flush=True)
time.sleep(600)
"""


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie is dead: it waits only for its reaper
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            return stat.read().split(") ", 1)[1][0] != "Z"
    except FileNotFoundError:
        return False


def test_the_builds_helper_processes_die_when_it_is_killed():
    parent = subprocess.Popen(
        [sys.executable, "-c", _PARENT],
        stdout=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).resolve().parents[1],
    )
    try:
        assert parent.stdout is not None
        helpers = [int(pid) for pid in parent.stdout.readline().split()]
        assert helpers and all(_alive(pid) for pid in helpers)
        parent.send_signal(signal.SIGKILL)
        parent.wait(timeout=30)
        deadline = time.monotonic() + 30
        while any(_alive(pid) for pid in helpers) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not [pid for pid in helpers if _alive(pid)], "helpers outlived the killed build"
    finally:
        parent.kill()
