"""Issue 19: a province's cold build stays under 1 GiB, summed over its processes.

The helper processes end as soon as their last job is done (they kept a few hundred MiB
while MkDocs and Pagefind ran), and a process whose big stage is over gives the freed memory
back to the system (glibc keeps it otherwise: the publishing process held 360 MiB for
Pagefind's whole run, 100 MiB of it in use).
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from generator.build.workers import Workers

ROOT = Path(__file__).resolve().parents[1]


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads /proc")
def test_the_helper_processes_end_when_their_work_is_done() -> None:
    with Workers() as workers:
        assert workers.pool.submit(sum, [1, 2]).result() == 3
        pids = list(workers.pool._processes)  # the processes the pool started
        assert pids and all(_alive(pid) for pid in pids)
        workers.close()  # before MkDocs and Pagefind need the memory
        deadline = time.monotonic() + 10
        while any(_alive(pid) for pid in pids) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not [pid for pid in pids if _alive(pid)], "helpers still running after close"


_FREED = """
import sys
from pathlib import Path
from generator.build.memory import give_back

def rss():
    line = [l for l in Path("/proc/self/status").read_text().splitlines() if l.startswith("VmRSS")]
    return int(line[0].split()[1]) // 1024

many = [bytes(1500) + str(i).encode() for i in range(150_000)]  # 220 MiB in small blocks
kept = many[::50]  # one in fifty stays: the heap cannot just shrink from its top
del many
before = rss()
give_back()
print(before, rss())
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's malloc_trim")
def test_memory_freed_in_the_middle_of_the_heap_goes_back_to_the_system() -> None:
    done = subprocess.run(
        [sys.executable, "-c", _FREED], cwd=ROOT, capture_output=True, text=True, check=True
    )
    before, after = map(int, done.stdout.split())
    assert before > 150  # glibc kept what was freed
    assert after < before - 120, (before, after)
