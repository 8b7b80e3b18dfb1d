"""``sitegen init``: start a county's own ledger repository.

The folder gets what a county needs and nothing of the sample: its ``county.yaml``, empty
record folders, ``content/cases/``, a ``site_config/site.yaml`` (``sample_data: false``, the
issuer of the brief), the JSON Schemas and VS Code settings that check files as they are typed,
a CI file, ``.gitignore`` and a README in Chinese for the clerks. Templates, code lists and
``mkdocs.yml`` come from the installed tool (they may be copied in later to override them).
With git on the machine the folder becomes a repository with a first commit. ``sitegen build``
works in it at once.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import click

from generator.defaults import DEFAULTS
from generator.diagnostics import Report
from generator.entry.schema import SCHEMA_DIR, file_globs, render, schema_files
from generator.gitrun import run_git
from generator.kinds import FOLDERS
from generator.load.config import load_settings
from generator.values import ID_RE

CI_FILES = {
    "github": ("github/workflows/progress-site.yml", ".github/workflows/progress-site.yml"),
    "gitlab": ("gitlab-ci.yml", ".gitlab-ci.yml"),
}
GITIGNORE = "site/\n.cache/\n.venv/\nsite.zip\n*.partial\n"
README = Path(__file__).with_name("init_readme.md")


def _quoted(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a YAML double-quoted scalar


def county_yaml(county: str, name: str, province: str | None, city: str | None, code: str | None):
    lines = [
        "# 本县基本情况。字段说明见 VS Code 的提示（鼠标悬停）或网站“方法说明”页。",
        f"name: {_quoted(name)}",
    ]
    lines += [f"province: {_quoted(province)}"] if province else ["# province: 某某省"]
    lines += [f"city: {_quoted(city)}"] if city else ["# city: 某某市"]
    lines += [f"division_code: '{code}'"] if code else ["# division_code: '123456'  # 6 位，加引号"]
    lines += [
        "# task_force:",
        "#   convener: 县委副书记、组织部部长   # 写职务，不写人名",
        "#   groups: 6                        # 工作组个数，或名称列表 [综合协调组, 摸排组]",
        "#   member_units: 12                 # 成员单位家数，或名称列表",
    ]
    return "\n".join(lines) + "\n"


def site_yaml(name: str, issuer: str) -> str:
    return (
        "# 网站设置。每个键都会检查：拼错的键会带行号报错。\n"
        f"title: {_quoted(name + '新兴领域“两个覆盖”工作进展')}\n"
        "language: zh\n"
        "# false：这是本县的真实台账（true 时每页提示“数据为虚构的样例数据”）\n"
        "sample_data: false\n"
        "\n"
        "# 全站目标（比率写小数，0.6 即 60%）；不写则用 sitegen 自带的默认目标。\n"
        "# targets:\n"
        "#   org_coverage_rate: {value: 0.6, due: 2026-12-31}\n"
        "#   work_coverage_rate: {value: 0.9, due: 2026-12-31}\n"
        "\n"
        "# 报告期：每次上报时给数据提交打标签，例如 git tag report-2025-q3\n"
        "reporting:\n"
        "  tag_pattern: report-*\n"
        "\n"
        "# 进展简报的发文单位\n"
        "brief:\n"
        f"  issuer: {_quoted(issuer)}\n"
    )


def vscode_settings() -> str:
    schemas = {f"./{SCHEMA_DIR.as_posix()}/{name}": globs for name, globs in file_globs().items()}
    settings = {
        "yaml.schemas": schemas,
        "yaml.validate": True,
        "yaml.completion": True,
        "yaml.hover": True,
        "files.encoding": "utf8",
        "[yaml]": {"editor.insertSpaces": True, "editor.tabSize": 2},
    }
    return json.dumps(settings, ensure_ascii=False, indent=2) + "\n"


def check_options(folder: Path, county: str, division_code: str | None) -> None:
    if not ID_RE.match(county):
        raise click.BadParameter(
            f"“{county}” 不是合法的县编号：只用小写字母、数字和连字符，例如 puxian / "
            "lowercase letters, digits and hyphens",
            param_hint="--county",
        )
    if division_code is not None and not re.fullmatch(r"\d{6}", division_code):
        raise click.BadParameter(
            f"“{division_code}” 不是 6 位行政区划代码 / not a 6-digit division code",
            param_hint="--division-code",
        )
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise click.UsageError(
            f"{folder} 已存在且不是空文件夹，sitegen init 不会改动它 / "
            f"{folder} exists and is not empty: nothing was written"
        )


def create(
    folder: Path,
    county: str,
    name: str,
    province: str | None,
    city: str | None,
    division_code: str | None,
    ci: str,
    issuer: str,
) -> list[str]:
    """Write the new repository; returns what was written (relative paths)."""
    files: dict[str, str] = {
        f"data/{county}/county.yaml": county_yaml(county, name, province, city, division_code),
        "site_config/site.yaml": site_yaml(name, issuer),
        ".gitignore": GITIGNORE,
        ".vscode/settings.json": vscode_settings(),
        "README.md": README.read_text(encoding="utf-8").format(name=name, county=county, ci=ci),
    }
    for kind_folder in FOLDERS.values():
        files[f"data/{county}/{kind_folder}/.gitkeep"] = ""
    files["content/cases/.gitkeep"] = ""
    for rel, text in files.items():
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="\n")
    settings = load_settings(folder / "site_config", Report())
    assert settings is not None, "the written site.yaml is valid"
    for schema_name, schema in schema_files(settings.codes).items():
        path = folder / SCHEMA_DIR / schema_name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(render(schema), encoding="utf-8", newline="\n")
        files[f"{SCHEMA_DIR.as_posix()}/{schema_name}"] = ""
    if ci in CI_FILES:
        source, target = CI_FILES[ci]
        (folder / target).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(DEFAULTS / "ci-templates" / source, folder / target)
        files[target] = ""
    return sorted(files)


def first_commit(folder: Path, name: str) -> str | None:
    """``git init`` and a first commit; None when git is missing (then nothing is done)."""
    if shutil.which("git") is None:
        return None

    def git(*args: str) -> subprocess.CompletedProcess:
        return run_git(folder, *args)

    if git("init", "-q", "-b", "main").returncode != 0:
        git("init", "-q")
    git("add", "-A")
    done = git("commit", "-q", "-m", f"{name}台账：初始化（sitegen init）")
    if done.returncode != 0:  # e.g. no user.name configured: the repository stays, uncommitted
        return done.stderr.strip() or "git commit failed"
    return ""


@click.command(name="init")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@click.option("--county", required=True, help="县编号，例如 puxian / county id (folder name)")
@click.option("--name", required=True, help="县名，例如 蒲县 / county name")
@click.option("--province", help="省份 / province")
@click.option("--city", help="地级市 / city")
@click.option("--division-code", help="6 位行政区划代码 / 6-digit division code")
@click.option(
    "--ci",
    type=click.Choice(["github", "gitlab", "none"]),
    default="none",
    show_default=True,
    help="写入哪种 CI 文件 / which CI file to write",
)
@click.option("--issuer", help="进展简报的发文单位（默认：<县名>“两个覆盖”工作专班）/ brief issuer")
def init_command(
    folder: Path,
    county: str,
    name: str,
    province: str | None,
    city: str | None,
    division_code: str | None,
    ci: str,
    issuer: str | None,
) -> None:
    """新建一个县的台账仓库（数据、设置、CI、说明）。/ Start a county's ledger repository."""
    check_options(folder, county, division_code)
    issuer = issuer or f"{name}新兴领域“两个覆盖”工作专班"
    written = create(folder, county, name, province, city, division_code, ci, issuer)
    click.echo(f"已新建台账仓库 / created: {folder}（{len(written)} 个文件 / files）")
    committed = first_commit(folder, name)
    if committed == "":
        click.echo("已建立 git 仓库并完成第一次提交 / git repository with a first commit")
    elif committed is None:
        click.echo("未找到 git：请安装 git 后运行 git init / git not found: run git init later")
    else:
        click.echo(f"git 仓库已建立，但第一次提交没有完成 / not committed: {committed}", err=True)
    click.echo(
        f"下一步 / next:\n  cd {folder}\n  sitegen hook install\n  sitegen build\n"
        f"  sitegen new org --county {county} --name ……"
    )
