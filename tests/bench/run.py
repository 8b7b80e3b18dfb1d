"""Province-scale benchmark: `make bench` (or `python tests/bench/run.py [--counties N]`).

Prints, in one run: the cold build (--clean), a rebuild after changing one organization's
`employees`, peak memory of each, and a bare `mkdocs build` of the same generated pages.
Targets (issue "Rebuilt on every data commit"): cold build within 2x the bare MkDocs build;
one-record rebuild under 5 s; peak memory under 2 GiB. A benchmark, not a test: it reports.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
WORK = ROOT / "build" / "bench"  # git-ignored; not under .cache, which --clean empties


def measured(command: list[str], env: dict[str, str]) -> tuple[float, float, str]:
    """Run ``command``; (seconds, peak MiB of its largest process, stderr)."""
    probe = (
        "import resource, subprocess, sys\n"
        "done = subprocess.run(sys.argv[1:], capture_output=True, text=True)\n"
        "sys.stderr.write(done.stderr)\n"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
        "sys.exit(done.returncode)\n"
    )
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", probe, *command], capture_output=True, text=True, env=env
    )
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"failed: {' '.join(command)}\n{done.stderr[-3000:]}")
    return seconds, int(done.stdout.split()[-1]) / 1024, done.stderr


def bare_config(docs: Path, site: Path) -> Path:
    """mkdocs.yml with the generated pages as docs_dir, for a plain `mkdocs build`."""
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    config.update(docs_dir=str(docs), site_dir=str(site))
    config["theme"]["custom_dir"] = str(ROOT / config["theme"]["custom_dir"])
    path = WORK / "bare-mkdocs.yml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--counties", type=int, default=120)
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
    files = sum(1 for _ in data.rglob("*.yaml"))
    env = {**os.environ, "SITEGEN_CACHE": str(cache)}
    sitegen = [sys.executable, "-m", "generator", "--project", str(ROOT), "-v"]
    build = [*sitegen, "build", "--data", str(data), "--out", str(site)]
    shutil.rmtree(site, ignore_errors=True)

    cold, cold_mem, log = measured([*build, "--clean"], env)
    stages = re.findall(r"^(stage .*)$", log, re.M)
    org = data / "county-001" / "orgs" / "org-0000.yaml"
    text = org.read_text(encoding="utf-8")
    employees = int(re.search(r"employees: (\d+)", text).group(1))
    org.write_text(text.replace(f"employees: {employees}", f"employees: {employees + 1}"))
    warm, warm_mem, warm_log = measured(build, env)
    warm_stages = re.findall(r"^(stage .*)$", warm_log, re.M)

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
    plain, plain_mem, _ = measured(mkdocs, {**env, **epoch})

    rows = [
        ("data files", f"{files:,}"),
        ("generated pages", f"{pages:,}"),
        ("cold build (--clean)", f"{cold:.1f} s, peak {cold_mem:.0f} MiB"),
        ("rebuild after one org's employees", f"{warm:.1f} s, peak {warm_mem:.0f} MiB"),
        ("bare mkdocs build of the same pages", f"{plain:.1f} s, peak {plain_mem:.0f} MiB"),
        ("cold / bare mkdocs", f"{cold / plain:.2f}x (target <= 2x)"),
        ("one-record rebuild", f"{warm:.1f} s (target < 5 s)"),
        ("peak memory", f"{max(cold_mem, warm_mem):.0f} MiB (target < 2048 MiB)"),
    ]
    width = max(len(name) for name, _ in rows)
    print(f"\nbenchmark: {args.counties} counties on {os.cpu_count()} cores")
    for name, value in rows:
        print(f"  {name:<{width}}  {value}")
    for title, lines in (("cold build stages", stages), ("rebuild stages", warm_stages)):
        if lines:
            print(f"\n{title}:")
            for line in lines:
                print(f"  {line}")
    (WORK / "last.json").write_text(json.dumps(dict(rows), ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
