"""What the git hooks do (``sitegen hook run <name>``).

pre-commit validates exactly what is being committed: the staged files (the index) are
checked out into a folder of their own in the git directory (``.git/sitegen/staged/``) and
validated there, so neither an unstaged fix nor an unstaged mistake changes the verdict. Only
files whose staged content changed since the last commit check are written again, so the
unchanged counties keep their cached outcome and a one-file change is checked quickly. The
messages name files as the clerk sees them from the repository top (``data/...``).

post-commit, post-merge and post-checkout rebuild the site when the commits between the old
and the new state changed the data, the cases, ``site_config/``, ``templates/`` or
``mkdocs.yml``; a failed rebuild leaves the last good site and says so.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import click

from generator.cli.hooks import relative_to, repository_top
from generator.gitrun import run_git

WATCHED = ("content", "site_config", "templates", "mkdocs.yml")
EMPTY_TREE = "4b825dc642cb6eb9a060ebf2bc4b8e5e3b2f5c6d"  # git's id of the empty tree (v1 hash)


def watched_paths(root: Path, data_dir: Path, top: Path) -> list[str]:
    """The inputs of a build that live in the repository, relative to its top."""
    inputs = [data_dir, *(root / name for name in WATCHED)]
    inside = [p.resolve() for p in inputs if p.resolve() == top or top in p.resolve().parents]
    return sorted({relative_to(p, top) for p in inside})


def _git(top: Path, *args: str, keep_index: bool = False, **kwargs) -> subprocess.CompletedProcess:
    # In a hook git sets GIT_DIR, GIT_INDEX_FILE...: keep the index (``git commit -a`` uses a
    # temporary one) only where the staged files are read.
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    if keep_index and "GIT_INDEX_FILE" in os.environ:
        env["GIT_INDEX_FILE"] = str(Path(os.environ["GIT_INDEX_FILE"]).resolve())
    return run_git(top, *args, binary=not kwargs.get("text"), env=env, input=kwargs.get("input"))


def _sitegen(*args: str, cwd: Path, extra_env: dict[str, str] | None = None) -> int:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(extra_env or {})
    return subprocess.run([sys.executable, "-m", "generator", *args], cwd=cwd, env=env).returncode


def pre_commit(root: Path, data_dir: Path, lang: str) -> int:
    top = repository_top(data_dir)
    watched = watched_paths(root, data_dir, top)
    if (
        not watched
        or _git(top, "diff", "--cached", "--quiet", "--", *watched, keep_index=True).returncode == 0
    ):
        return 0
    click.echo("sitegen: 正在检查将要提交的台账数据（暂存区）…", err=True)
    work = Path(_git(top, "rev-parse", "--absolute-git-dir", text=True).stdout.strip()) / "sitegen"
    staged = work / "staged"
    _check_out_index(top, watched, staged, work / "staged.json")
    project = staged / relative_to(root, top) if _inside(root, top) else root.resolve()
    code = _sitegen(
        "--lang", lang, "--project", str(project),
        "validate", "--data", str(staged / relative_to(data_dir, top)),
        cwd=staged,
        extra_env={"SITEGEN_CACHE": str(work / "cache"), "GIT_CEILING_DIRECTORIES": str(work)},
    )  # fmt: skip
    if code != 0:
        click.echo(
            "sitegen: 提交已取消：以上是暂存区（git add 之后）中的问题。改正后再 git add、git commit。\n"
            "sitegen: commit refused: the problems above are in the staged files; fix, git add, "
            "commit again.",
            err=True,
        )
    return code


def _inside(path: Path, top: Path) -> bool:
    path = path.resolve()
    return path == top or top in path.parents


def _check_out_index(top: Path, watched: list[str], staged: Path, manifest: Path) -> None:
    """Make ``staged`` hold exactly the index's files under ``watched``, rewriting only those
    whose staged content changed since the last run (unchanged files keep their times)."""
    listed = _git(top, "ls-files", "-s", "-z", "--", *watched, keep_index=True, text=True)
    entries = {}
    for line in listed.stdout.split("\0"):
        if line:
            meta, path = line.split("\t", 1)
            mode, blob, stage = meta.split()
            if stage == "0":  # an unresolved conflict is refused by git itself
                entries[path] = f"{mode} {blob}"
    try:
        before = json.loads(manifest.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        before = {}
    for path in set(before) - set(entries):
        (staged / path).unlink(missing_ok=True)
    changed = [p for p, e in entries.items() if before.get(p) != e or not (staged / p).exists()]
    staged.mkdir(parents=True, exist_ok=True)
    if changed:
        _git(
            top, "checkout-index", "-f", "-z", "--stdin", f"--prefix={staged}/",
            input="\0".join(changed).encode(), keep_index=True,
        )  # fmt: skip
    manifest.write_text(json.dumps(entries), encoding="utf-8")


def rebuild(root: Path, data_dir: Path, out_dir: Path, lang: str, old: str, new: str) -> int:
    """Rebuild the site when ``old``..``new`` changed a build input (``old`` may be missing)."""
    top = repository_top(data_dir)
    watched = watched_paths(root, data_dir, top)
    if _git(top, "rev-parse", "--verify", "--quiet", f"{old}^{{commit}}").returncode != 0:
        old = EMPTY_TREE  # the first commit
    if not watched or _git(top, "diff", "--quiet", old, new, "--", *watched).returncode == 0:
        return 0
    click.echo("sitegen: 正在重新生成网站…", err=True)
    code = _sitegen(
        "--lang", lang, "--project", str(root.resolve()),
        "build", "--data", str(data_dir.resolve()), "--out", str(out_dir.resolve()),
        cwd=top,
    )  # fmt: skip
    if code != 0:
        click.echo("sitegen: 网站没有更新（见上面的错误），上次的网站保持不变", err=True)
    return 0  # a commit, pull or checkout has already happened: never report it as failed
