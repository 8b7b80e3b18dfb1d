"""Province-scale benchmark: `make bench` (or `python tests/bench/run.py [--counties N]`).

Prints, in one run: the cold build (--clean), a rebuild after changing one organization's
`employees`, peak memory of each, a bare `mkdocs build` of as many plain one-table pages with
the same theme and search (plain.py), a bare `mkdocs build` of the same generated pages, and
what a reader's browser fetches (firstload.py; reader.py's search figures when present).
Targets (issue 19): cold build within 2x the bare MkDocs build of plain pages; one-record
rebuild under 2 s; peak memory under 1 GiB; a county page's first load at most 300 KB
compressed. A benchmark, not a test: it reports.
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml
from firstload import county_page, first_load
from plain import write_plain_pages

ROOT = Path(__file__).resolve().parents[2]
WORK = ROOT / "build" / "bench"  # git-ignored; not under .cache, which --clean empties


def measured(command: list[str], env: dict[str, str]) -> tuple[float, float, str]:
    """Run ``command``; (seconds, peak MiB of all its processes together, stderr).

    The build's worker processes count too: every quarter second the resident memory of the
    whole process tree is added up (Linux /proc), and the largest sum is kept.
    """
    start = time.perf_counter()
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        process = subprocess.Popen(command, stdout=out, stderr=err, text=True, env=env)
        peak = 0
        while True:
            peak = max(peak, tree_rss(process.pid))
            try:
                process.wait(timeout=0.25)
                break
            except subprocess.TimeoutExpired:
                pass
        seconds = time.perf_counter() - start
        err.seek(0)
        stderr = err.read()
    if process.returncode != 0:
        sys.exit(f"failed: {' '.join(command)}\n{stderr[-3000:]}")
    return seconds, peak / 1024, stderr


def tree_rss(pid: int) -> int:
    """Resident KiB of ``pid`` and all its descendants (0 once they are gone)."""
    total = 0
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1])
        for task in Path(f"/proc/{pid}/task").iterdir():
            for child in (task / "children").read_text().split():
                total += tree_rss(int(child))
    except (OSError, ValueError):
        pass
    return total


def bare_config(docs: Path, site: Path) -> Path:
    """mkdocs.yml with the generated pages as docs_dir, for a plain `mkdocs build`."""
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    config.update(docs_dir=str(docs), site_dir=str(site))
    config["theme"]["custom_dir"] = str(ROOT / config["theme"]["custom_dir"])
    path = WORK / "bare-mkdocs.yml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    return path


def _seconds(times: list[float]) -> str:
    return ", ".join(f"{t:.1f}" for t in times) + " s"


def git(data: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-C", str(data), "-c", "user.name=bench", "-c", "user.email=bench@example.org",
         *args],
        check=True,
    )  # fmt: skip


REBUILDS = 3  # one-record rebuilds measured; the median is reported (this machine is shared)


def one_record_rebuild(
    data: Path, build: list[str], env: dict[str, str]
) -> tuple[float, float, list[str], list[float]]:
    """Add one to an org's ``employees``, commit, rebuild; REBUILDS times.

    Returns the median seconds, the peak MiB, the median run's stage lines and every time."""
    org = data / "county-001" / "orgs" / "org-0000.yaml"
    runs = []
    for _ in range(REBUILDS):
        text = org.read_text(encoding="utf-8")
        employees = int(re.search(r"employees: (\d+)", text).group(1))
        org.write_text(text.replace(f"employees: {employees}", f"employees: {employees + 1}"))
        git(data, "commit", "-qam", "one org's employees")  # what the post-commit hook rebuilds
        runs.append(measured(build, env))
    ordered = sorted(runs, key=lambda run: run[0])
    seconds, _, log = ordered[len(ordered) // 2]
    peak = max(run[1] for run in runs)
    return seconds, peak, re.findall(r"^(stage .*)$", log, re.M), [run[0] for run in runs]


def followup_cost(data: Path) -> tuple[float, float, int]:
    """What the follow-up rules (台账体检) add to the one-record rebuild, measured in this
    process: the git log of the recomputed county and the rules over its records (the median
    of REBUILDS runs, milliseconds), and how many items they found."""
    sys.path.insert(0, str(ROOT))
    from generator.compute.followups import county_followups, summarize
    from generator.diagnostics import Report
    from generator.load.config import load_settings
    from generator.load.gitinfo import last_commit_dates
    from generator.load.loader import load_county

    settings = load_settings(ROOT / "site_config", Report())
    county = load_county(data / "county-001", Report())
    as_of = max(o.visited_on for o in county.orgs.values() if o.visited_on)
    git_ms, rules_ms, found = [], [], 0
    for _ in range(REBUILDS):
        start = time.perf_counter()
        commits = last_commit_dates(data, ["county-001"])
        middle = time.perf_counter()
        items = county_followups(
            county, settings.site.followups, as_of, "data", (commits or {}).get("county-001")
        )
        summarize(county, items, stale_checked=commits is not None)
        git_ms.append((middle - start) * 1000)
        rules_ms.append((time.perf_counter() - middle) * 1000)
        found = len(items)
    return sorted(git_ms)[len(git_ms) // 2], sorted(rules_ms)[len(rules_ms) // 2], found


def followup_row(data: Path, rebuild: float) -> tuple[str, str]:
    git_ms, rules_ms, found = followup_cost(data)
    share = (git_ms + rules_ms) / 1000 / rebuild * 100
    return (
        "follow-up rules, one county",
        f"{git_ms + rules_ms:.0f} ms (git log {git_ms:.0f} ms, rules {rules_ms:.0f} ms, "
        f"{found} items) = {share:.1f}% of the one-record rebuild",
    )


def reader_rows(site: Path) -> list[tuple[str, str]]:
    """The search figures of tests/bench/reader.py (issue 19 item 1), when it is there: on the
    overview and on the largest county page, for the desktop and the phone profile."""
    try:
        from reader import reader_figures
    except ImportError:
        return [("search (reader.py)", "not measured: tests/bench/reader.py is not there")]
    rows = []
    for page in ("", county_page(site).lstrip("/")):
        for profile, f in reader_figures(site, page=page).items():
            rows.append(
                (
                    f"search from /{page}, {profile}",
                    f"{f['before_search_bytes'] / 1024:.0f} KiB before any search; first result "
                    f"in {f['first_result_s']:.1f} s ({f['first_result_from_open_s']:.1f} s from "
                    f"opening the page), {f['first_result_bytes'] / 1024:.0f} KiB for it",
                )
            )
    return rows


def print_rows(rows: list[tuple[str, str]]) -> None:
    width = max(len(name) for name, _ in rows)
    for name, value in rows:
        print(f"  {name:<{width}}  {value}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--counties", type=int, default=120)
    parser.add_argument(
        "--rebuild-only",
        action="store_true",
        help="skip the cold and bare MkDocs builds: bring the cache up to date with one build "
        "(not measured), then measure the one-record rebuild (while working on rebuild speed)",
    )
    args = parser.parse_args()
    data = WORK / f"data-{args.counties}"
    cache, site, bare = WORK / "cache", WORK / "site", WORK / "bare-site"
    if not data.is_dir():
        print(f"generating {args.counties} counties of data into {data} ...", flush=True)
        subprocess.run(
            [sys.executable, str(ROOT / "tests/bench/make_province.py"), str(data),
             "--counties", str(args.counties)],
            check=True,
        )  # fmt: skip
    if not (data / ".git").is_dir():  # a county's ledger lives in git: commit it
        print("committing the data to a git repository ...", flush=True)
        git(data, "init", "-q")
        git(data, "add", "-A")
        git(data, "commit", "-qm", "province-scale data")
    files = sum(1 for _ in data.rglob("*.yaml"))
    # Byte-compiled, as Python leaves an installed program after its first run (a shell with
    # PYTHONDONTWRITEBYTECODE set would otherwise compile every module on every build).
    compileall.compile_dir(ROOT / "generator", quiet=1)
    env = {**os.environ, "SITEGEN_CACHE": str(cache)}
    sitegen = [sys.executable, "-m", "generator", "--project", str(ROOT), "-v"]
    build = [*sitegen, "build", "--data", str(data), "--out", str(site)]
    if args.rebuild_only:
        measured(build, env)
        warm, warm_mem, warm_stages, times = one_record_rebuild(data, build, env)
        print(
            f"\none-record rebuild: {warm:.1f} s (median of {_seconds(times)}), "
            f"peak {warm_mem:.0f} MiB (target < 2 s)"
        )
        name, value = followup_row(data, warm)
        print(f"{name}: {value}")
        for line in warm_stages:
            print(f"  {line}")
        return
    shutil.rmtree(site, ignore_errors=True)

    cold, cold_mem, log = measured([*build, "--clean"], env)
    stages = re.findall(r"^(stage .*)$", log, re.M)
    warm, warm_mem, warm_stages, times = one_record_rebuild(data, build, env)

    pages = sum(1 for _ in (cache / "docs").rglob("*.md"))
    shutil.rmtree(bare, ignore_errors=True)
    epoch = {"SOURCE_DATE_EPOCH": "1735689600"}
    mkdocs = [
        sys.executable,
        "-m",
        "mkdocs",
        "build",
        "-q",
        "-f",
        str(bare_config(cache / "docs", bare)),
    ]
    same, same_mem, _ = measured(mkdocs, {**env, **epoch})
    plain_docs, plain_site = WORK / "plain-docs", WORK / "plain-site"
    write_plain_pages(cache / "docs", plain_docs)
    shutil.rmtree(plain_site, ignore_errors=True)
    mkdocs[-1] = str(bare_config(plain_docs, plain_site))
    plain, plain_mem, _ = measured(mkdocs, {**env, **epoch})

    rows = [
        ("data files", f"{files:,}"),
        ("generated pages", f"{pages:,}"),
        ("cold build (--clean)", f"{cold:.1f} s, peak {cold_mem:.0f} MiB"),
        (
            "rebuild after one org's employees",
            f"{warm:.1f} s (median of {_seconds(times)}), peak {warm_mem:.0f} MiB",
        ),
        (
            f"bare mkdocs build of {pages:,} plain one-table pages",
            f"{plain:.1f} s, peak {plain_mem:.0f} MiB",
        ),
        ("bare mkdocs build of the same pages", f"{same:.1f} s, peak {same_mem:.0f} MiB"),
        ("cold / bare mkdocs of plain pages", f"{cold / plain:.2f}x (target <= 2x)"),
        ("cold / bare mkdocs of the same pages", f"{cold / same:.2f}x"),
        ("one-record rebuild", f"{warm:.1f} s (target < 2 s)"),
        followup_row(data, warm),
        ("peak memory", f"{max(cold_mem, warm_mem):.0f} MiB (target < 1024 MiB)"),
    ]
    print(f"\nbenchmark: {args.counties} counties on {os.cpu_count()} cores")
    print_rows(rows)
    print("\nthe reader (Chromium, served on loopback as nginx gzip_static serves it):")
    reading = [*first_load(site), *reader_rows(site)]
    print_rows(reading)
    rows += reading
    for title, lines in (("cold build stages", stages), ("rebuild stages", warm_stages)):
        if lines:
            print(f"\n{title}:")
            for line in lines:
                print(f"  {line}")
    (WORK / "last.json").write_text(json.dumps(dict(rows), ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
