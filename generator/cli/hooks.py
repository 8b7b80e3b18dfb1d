"""Local git hooks: validate data before a commit, rebuild the site after it.

``sitegen hook install`` writes two small shell scripts into the repository's hooks folder.
They call this same installation of sitegen (its Python), so they work without activating a
virtualenv. A hook that sitegen did not write is never overwritten.
"""

from __future__ import annotations

import shlex
import sys
from pathlib import Path

from generator.diagnostics import ConfigError
from generator.gitrun import run_git

MARK = "# installed by: sitegen hook install"

PRE_COMMIT = """#!/bin/sh
{mark}
# Before each commit that touches the ledger: check all data; a commit with errors is refused.
if git diff --cached --quiet -- {watched}; then
  exit 0
fi
echo "sitegen: 正在检查台账数据…"
exec {sitegen} validate --data {data}
"""

POST_COMMIT = """#!/bin/sh
{mark}
# After each commit that touched the ledger: rebuild the site (the last good site stays if it fails).
if git diff --quiet HEAD~1 HEAD -- {watched} 2>/dev/null; then
  exit 0
fi
echo "sitegen: 正在重新生成网站…"
{sitegen} build --data {data} --out {out} || echo "sitegen: 网站没有更新（见上面的错误）"
"""


def hooks_dir(repo_path: Path) -> Path:
    done = run_git(repo_path, "rev-parse", "--git-path", "hooks")
    if done.returncode != 0:
        raise ConfigError(f"{repo_path} 不在 git 仓库中，无法安装钩子 / not in a git repository")
    path = Path(done.stdout.strip())
    return path if path.is_absolute() else (repo_path / path).resolve()


def install(project_root: Path, data_dir: Path, out_dir: Path, force: bool = False) -> list[Path]:
    """Write the pre-commit and post-commit hooks of the repository holding ``data_dir``."""
    target = hooks_dir(data_dir)
    target.mkdir(parents=True, exist_ok=True)
    sitegen = " ".join(
        shlex.quote(part)
        for part in (sys.executable, "-m", "generator", "--project", str(project_root.resolve()))
    )
    top = Path(run_git(data_dir, "rev-parse", "--show-toplevel").stdout.strip()).resolve()
    inputs = (data_dir, project_root / "content", project_root / "site_config")
    watched = " ".join(
        shlex.quote(str(p.resolve()))
        for p in inputs
        if p.resolve() == top or top in p.resolve().parents
    )
    values = {
        "mark": MARK,
        "sitegen": sitegen,
        "data": shlex.quote(str(data_dir.resolve())),
        "out": shlex.quote(str(out_dir.resolve())),
        "watched": watched,
    }
    written = []
    for name, template in (("pre-commit", PRE_COMMIT), ("post-commit", POST_COMMIT)):
        path = target / name
        if path.exists() and MARK not in path.read_text(errors="replace") and not force:
            raise ConfigError(
                f"{path} 已存在且不是 sitegen 安装的钩子；如确需替换请加 --force / "
                f"{path} exists and was not written by sitegen; use --force to replace it"
            )
        path.write_text(template.format(**values), encoding="utf-8")
        path.chmod(0o755)
        written.append(path)
    return written
