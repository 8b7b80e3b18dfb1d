"""Local git hooks: check what is committed before a commit, rebuild the site after it.

``sitegen hook install`` writes small shell scripts into the repository's hooks folder. They
hold no absolute paths: each finds the repository top with git, the project folder relative to
it, and sitegen in the repository's own virtualenv, on ``PATH``, or as the Python that installed
the hooks (in that order), so a copied or moved folder keeps working. Each script only runs
``sitegen hook run <name>``, which does the work (see :mod:`generator.cli.staged`).
Re-installing writes the same bytes; a hook that sitegen did not write is never overwritten.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from pathlib import Path

from generator.diagnostics import ConfigError
from generator.gitrun import run_git

MARK = "# installed by: sitegen hook install"
HOOKS = ("pre-commit", "post-commit", "post-merge", "post-checkout")

SCRIPT = """#!/bin/sh
{mark}
# {purpose}
# No absolute paths: the repository may be copied or moved. Re-run `sitegen hook install`
# after changing where the data or the site live.
top=$(git rev-parse --show-toplevel) || exit 1
cd "$top/{project}" || exit 1
for python in .venv/bin/python .venv/Scripts/python.exe venv/bin/python venv/Scripts/python.exe {installer}; do
  if [ -x "$python" ] && "$python" -c "import generator.cli.main" 2>/dev/null; then
    exec "$python" -m generator --project . hook run {name} --data {data} --out {out} "$@"
  fi
done
if command -v sitegen >/dev/null 2>&1; then
  exec sitegen --project . hook run {name} --data {data} --out {out} "$@"
fi
echo "sitegen: 找不到 sitegen（仓库的 .venv 里没有，PATH 上也没有）。请安装 sitegen 后在仓库中重新运行 sitegen hook install。" >&2
echo "sitegen: sitegen not found (neither in the repository's .venv nor on PATH): install it and re-run sitegen hook install." >&2
exit {missing}
"""

PURPOSES = {
    "pre-commit": "Before each commit that touches the ledger: check exactly what is staged.",
    "post-commit": "After each commit that touched the ledger: rebuild the site.",
    "post-merge": "After a pull or merge that brought ledger changes: rebuild the site.",
    "post-checkout": "After switching to a branch or commit with other ledger files: rebuild.",
}


def hooks_dir(repo_path: Path) -> Path:
    done = _git(repo_path, "rev-parse", "--git-path", "hooks")
    if done.returncode != 0:
        raise ConfigError(f"{repo_path} 不在 git 仓库中，无法安装钩子 / not in a git repository")
    path = Path(done.stdout.strip())
    return path if path.is_absolute() else (repo_path / path).resolve()


def repository_top(path: Path) -> Path:
    return Path(_git(path, "rev-parse", "--show-toplevel").stdout.strip()).resolve()


def _git(path: Path, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    return run_git(path, *args, env=env)


def install(project_root: Path, data_dir: Path, out_dir: Path, force: bool = False) -> list[Path]:
    """Write the hooks of the repository holding ``data_dir``."""
    target = hooks_dir(data_dir)
    top = repository_top(data_dir)
    project = project_root.resolve()
    inside = project == top or top in project.parents
    # The scripts cd into the project folder (the repository top when the project is kept
    # elsewhere) and name the data and the site relative to it.
    base = project if inside else top
    values = {
        "mark": MARK,
        "project": shlex.quote(relative_to(project, top)) if inside else ".",
        "data": shlex.quote(relative_to(data_dir, base)),
        "out": shlex.quote(relative_to(out_dir, base)),
        "installer": shlex.quote(sys.executable),
    }
    existing = []
    for name in HOOKS:
        path = target / name
        if path.exists() and MARK not in path.read_text(errors="replace") and not force:
            existing.append(path)
    if existing:
        raise ConfigError(
            f"{existing[0]} 已存在且不是 sitegen 安装的钩子；如确需替换请加 --force / "
            f"{existing[0]} exists and was not written by sitegen; use --force to replace it"
        )
    target.mkdir(parents=True, exist_ok=True)
    written = []
    for name in HOOKS:
        script = SCRIPT.format(
            **values,
            name=name,
            purpose=PURPOSES[name],
            missing=1 if name == "pre-commit" else 0,
        )
        if not inside:  # a project folder outside the repository is named as it is
            script = script.replace(
                "--project . hook run", f"--project {shlex.quote(project.as_posix())} hook run"
            )
        path = target / name
        path.write_text(script, encoding="utf-8", newline="\n")
        path.chmod(0o755)
        written.append(path)
    return written


def relative_to(path: Path, base: Path) -> str:
    """``path`` relative to ``base`` (POSIX), or absolute when outside it."""
    path = path.resolve()
    if path == base or base in path.parents:
        return Path(os.path.relpath(path, base)).as_posix()
    return path.as_posix()
