"""The ``sitegen`` command (also ``python -m generator``).

Exit codes: 0 success; 1 invalid data (every problem listed, the published site untouched);
2 usage error; 3 the build itself failed (a template or MkDocs problem, not the data).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import logging
import os
import signal
import sys
import tempfile
import threading
from pathlib import Path

import click

from generator.brief.cli import brief_command
from generator.build.checked import load_and_validate
from generator.cli import hooks, staged
from generator.cli.ci_formats import codequality_report, github_annotation
from generator.cli.followups import followups_command
from generator.cli.init import init_command
from generator.cli.serve import Preview, is_loopback, make_server
from generator.diagnostics import ConfigError, DataError, Diagnostic, Report, SitegenError
from generator.entry.cli_entry import ENTRY_COMMANDS
from generator.entry.cli_output import data_option, print_diagnostics, say
from generator.form.cli import form_command
from generator.library.cli import case_group
from generator.load.config import load_settings
from generator.pipeline import build
from generator.project import Project, today
from generator.report.cli import report_group

EXIT_DATA, EXIT_BUILD = 1, 3


def _say(key: str, lang: str, err: bool = False, **params: object) -> None:
    say(f"cli.{key}", lang, err, **params)


class Context:
    """What every command is given: the project, the message language and the build date."""

    def __init__(self, root: Path, lang: str | None, verbose: bool, today: dt.date):
        self.root = root
        self.verbose = verbose
        self.lang = lang or _configured_language(root)
        self.today = today

    def project(self, data: Path | None, out: Path | None) -> Project:
        return Project(self.root, data or self.root / "data", out or self.root / "site")


def _configured_language(root: Path) -> str:
    settings = load_settings(root / "site_config", Report())
    return settings.site.language if settings and settings.site.language in ("zh", "en") else "zh"


strict_option = click.option(
    "--strict", is_flag=True, help="警告也按错误处理 / treat warnings as errors"
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--project",
    "root",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=".",
    help="项目文件夹（含 mkdocs.yml）/ project folder (holds mkdocs.yml)",
)
@click.option(
    "--lang",
    type=click.Choice(["zh", "en"]),
    default=None,
    help="提示信息语言（默认取 site_config/site.yaml 的 language）/ message language",
)
@click.option("-v", "--verbose", is_flag=True, help="显示详细过程 / show progress details")
@click.version_option(package_name="two-coverages-sitegen")
@click.pass_context
def cli(ctx: click.Context, root: Path, lang: str | None, verbose: bool) -> None:
    """由县级“两个覆盖”台账（YAML）生成工作进展网站。

    Builds the "two coverages" progress site from county ledgers kept as YAML.
    """
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING, format="%(message)s")
    logging.getLogger("mkdocs").setLevel(logging.INFO if verbose else logging.ERROR)
    # Stage progress on a terminal (or with -v); quiet in CI logs and pipes.
    interactive = sys.stderr.isatty() and not os.environ.get("CI")
    logging.getLogger("generator.progress").setLevel(
        logging.INFO if verbose or interactive else logging.WARNING
    )
    try:
        day = today()
    except ValueError as exc:
        raise click.UsageError(
            f"SITEGEN_TODAY 应写成 YYYY-MM-DD / must be YYYY-MM-DD: {exc}"
        ) from exc
    ctx.obj = Context(root, lang, verbose, day)


@cli.command()
@data_option
@strict_option
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "github", "codequality"]),
    default="text",
    show_default=True,
    help="输出格式：text 文字；github 为 GitHub Actions 注释；codequality 为 GitLab 代码质量报告"
    "（JSON，输出到标准输出）/ output format for people or CI",
)
@click.pass_obj
def validate(obj: Context, data: Path | None, strict: bool, output_format: str) -> None:
    """检查数据，列出全部错误，不生成网站。/ Check the data and list every problem."""
    checked = load_and_validate(obj.project(data, None), obj.today)
    report = checked.report
    if output_format == "github":
        for d in report.sorted():
            click.echo(github_annotation(d, obj.lang))
    elif output_format == "codequality":
        click.echo(codequality_report(report.sorted(), obj.lang))
    print_diagnostics(report.diagnostics, obj.lang)
    if report.errors or (strict and report.warnings):
        _fail(report.diagnostics, obj.lang, strict, building=False)
    records = sum(u.checked.records for u in checked.units)
    _say("ok", obj.lang, counties=len(checked.units), records=records)


@cli.command(name="build")
@data_option
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    help="网站输出文件夹（默认 ./site）/ output folder (default ./site)",
)
@strict_option
@click.option(
    "--compare-to",
    metavar="REV",
    help="“本期变化”与哪个版本对比（默认：最新的报告期标签）/ "
    "revision of the last report (default: newest reporting tag)",
)
@click.option(
    "--zip",
    "offline_zip",
    type=click.Path(dir_okay=False, path_type=Path),
    help="另外生成一个可离线打开（file://，U 盘分发）的网站压缩包 / "
    "also write a zip of the site that works opened from disk",
)
@click.option(
    "--clean",
    is_flag=True,
    help="不使用缓存（.cache/），重新生成全部页面和图表 / ignore the build cache",
)
@click.pass_obj
def build_command(
    obj: Context,
    data: Path | None,
    out: Path | None,
    strict: bool,
    compare_to: str | None,
    offline_zip: Path | None,
    clean: bool,
) -> None:
    """检查数据并生成网站。/ Validate the data and build the site."""
    project = obj.project(data, out)
    _run_build(obj, project, strict, compare_to, clean, offline_zip)
    _say("built", obj.lang, out=project.out_dir)


@cli.command()
@data_option
@click.option("--host", default="127.0.0.1", show_default=True, help="监听地址 / address")
@click.option("--port", default=8000, show_default=True, type=int, help="端口 / port")
@click.pass_obj
def serve(obj: Context, data: Path | None, host: str, port: int) -> None:
    """本机预览：修改数据、案例、模板或配置后自动重新生成。/ Live preview on this machine."""

    def report(problem: BaseException | None) -> None:
        stamp = dt.datetime.now().strftime("%H:%M:%S")
        if problem is None:
            _say("rebuilt", obj.lang, err=True, time=stamp)
        elif isinstance(problem, DataError):
            print_diagnostics(problem.diagnostics, obj.lang)
            _say("kept", obj.lang, err=True, time=stamp)
        else:
            _say("build-failed", obj.lang, err=True, error=problem)

    if not is_loopback(host):
        click.echo(
            f"警告：--host {host} 让本机以外的电脑也能访问这个预览。预览只供本机查看台账，"
            "不是发布用的网站服务器（发布见 README 的 nginx / IIS 部分）。\n"
            f"warning: --host {host} exposes this preview beyond this machine; it is not a web "
            "server for publishing (see the README's nginx / IIS section).",
            err=True,
        )

    def stop(signum: int, frame: object) -> None:
        raise KeyboardInterrupt  # the temporary folder is removed on the way out

    signal.signal(signal.SIGTERM, stop)
    with tempfile.TemporaryDirectory(prefix="sitegen-serve-") as work:
        preview = Preview(obj.project(data, Path(work) / "site"), report, today)
        try:  # the port first: a busy one is reported before a whole build
            server = make_server(preview, host, port)
        except OSError as exc:
            raise click.UsageError(f"无法监听 {host}:{port}：{exc} / cannot listen") from exc
        with server, contextlib.suppress(KeyboardInterrupt):
            _say("preview", obj.lang, err=True)
            preview.rebuild()
            watcher = threading.Thread(target=preview.watch, daemon=True)
            watcher.start()
            _say("serving", obj.lang, host=host, port=server.server_address[1])
            try:
                server.serve_forever()
            finally:
                preview.stopped.set()


@cli.group()
def hook() -> None:
    """git 钩子：提交前检查数据，提交后重新生成网站。/ Local git hooks."""


@hook.command(name="install")
@data_option
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    help="提交后生成网站的位置（默认 ./site）/ where the post-commit hook builds the site",
)
@click.option(
    "--force", is_flag=True, help="替换不是 sitegen 安装的同名钩子 / replace foreign hooks"
)
@click.pass_obj
def hook_install(obj: Context, data: Path | None, out: Path | None, force: bool) -> None:
    """安装钩子：pre-commit 检查暂存的数据；post-commit、post-merge、post-checkout 重新生成网站。

    Installs pre-commit (checks the staged data) and post-commit, post-merge, post-checkout
    (rebuild the site). Running it again changes nothing.
    """
    project = obj.project(data, out)
    try:
        written = hooks.install(project.root, project.data_dir, project.out_dir, force=force)
    except ConfigError as exc:
        raise click.UsageError(str(exc)) from exc
    for path in written:
        click.echo(f"已安装 / installed: {path}")


@hook.command(name="run")
@click.argument("name", type=click.Choice(hooks.HOOKS))
@click.argument("args", nargs=-1)
@data_option
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    help="重新生成网站的位置（默认 ./site）/ where the site is rebuilt",
)
@click.pass_obj
def hook_run(obj: Context, name: str, args: tuple[str, ...], data: Path | None, out: Path | None):
    """钩子要做的事（由 git 调用）。/ What a hook does (git runs it)."""
    project = obj.project(data, out)
    where = (project.root, project.data_dir)
    if name == "pre-commit":
        sys.exit(staged.pre_commit(*where, obj.lang))
    if name == "post-checkout" and (len(args) < 3 or args[2] != "1"):
        return  # a file checkout, not a switch to another commit
    old, new = {"post-commit": ("HEAD~1", "HEAD"), "post-merge": ("ORIG_HEAD", "HEAD")}.get(
        name, args[:2]
    )
    sys.exit(staged.rebuild(*where, project.out_dir, obj.lang, old, new))


def _run_build(
    obj: Context,
    project: Project,
    strict: bool,
    compare_to: str | None = None,
    clean: bool = False,
    offline_zip: Path | None = None,
) -> None:
    try:
        report = build(
            project,
            obj.today,
            strict=strict,
            compare_to=compare_to,
            clean=clean,
            offline_zip=offline_zip,
        )
    except DataError as exc:
        print_diagnostics(exc.diagnostics, obj.lang)
        _fail(exc.diagnostics, obj.lang, strict)
    except ConfigError as exc:
        raise click.UsageError(str(exc)) from exc
    except SitegenError as exc:
        _say("build-failed", obj.lang, err=True, error=exc)
        sys.exit(EXIT_BUILD)
    print_diagnostics(report.diagnostics, obj.lang)
    if report.warnings:
        _say("warnings", obj.lang, err=True, warnings=len(report.warnings))


def _fail(diagnostics: list[Diagnostic], lang: str, strict: bool, building: bool = True) -> None:
    errors = sum(1 for d in diagnostics if d.severity.value == "error")
    warnings = len(diagnostics) - errors
    _say("failed" if building else "invalid", lang, err=True, errors=errors, warnings=warnings)
    if strict and warnings:
        _say("strict", lang, err=True)
    sys.exit(EXIT_DATA)


# import, export, schema, new: the data-entry commands (generator/entry/cli_entry.py).
for _command in ENTRY_COMMANDS:
    cli.add_command(_command)
# case export, case import: sharing case write-ups between sites (generator/library/cli.py).
cli.add_command(case_group)
# init: a county's own ledger repository (generator/cli/init.py).
cli.add_command(init_command)
# brief: the period brief sent upward (generator/brief/cli.py).
cli.add_command(brief_command)
cli.add_command(form_command)
# report export, report import: county reports for a city or province (generator/report/cli.py).
cli.add_command(report_group)
# followups: the follow-up list (台账体检) for clerks (generator/cli/followups.py).
cli.add_command(followups_command)


def main() -> None:
    gc.freeze()  # the modules just imported are never garbage: the collector skips them
    code: int | str | None = 0
    try:
        cli(prog_name="sitegen")
    except SystemExit as exc:
        code = exc.code
    except ConfigError as exc:  # e.g. a cache folder sitegen may not use: a usage error
        click.echo(f"sitegen: {exc}", err=True)
        code = 2
    except Exception as exc:  # a bug, not bad data: say so briefly, full trace with -v
        logging.getLogger(__name__).debug("internal error", exc_info=True)
        click.echo(
            f"sitegen 内部错误 / internal error: {type(exc).__name__}: {exc}\n"
            "请用 -v 重新运行并把输出报告给维护者 / re-run with -v and report it.",
            err=True,
        )
        code = EXIT_BUILD
    _leave(code)


def _leave(code: int | str | None) -> None:
    """Exit without taking the interpreter apart: freeing a large build's objects one by one
    takes half a second, and nothing is left to do by then (output written, helper processes
    and pools closed)."""
    if isinstance(code, str):
        click.echo(code, err=True)
        code = 1
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code or 0)
