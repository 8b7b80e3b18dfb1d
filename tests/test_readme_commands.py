"""The README documents every command and every option (`sitegen new <kind>` takes one option
per field of the kind: the README states that rule, the methodology page lists the fields)."""

from __future__ import annotations

from pathlib import Path

import click

from generator.cli.main import cli

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def commands(group: click.Group, path: list[str]):
    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            yield from commands(command, [*path, name])
        else:
            yield [*path, name], command


def test_every_command_and_option_is_in_the_readme():
    missing = []
    for path, command in commands(cli, []):
        if path[0] == "new":  # `sitegen new county|grid|org|...`, one option per field
            if not any(
                line.startswith("**New files**: `sitegen new ") and path[1] in line
                for line in README.splitlines()
            ):
                missing.append(" ".join(path))
            continue
        if f"sitegen {' '.join(path)}" not in README:
            missing.append(" ".join(path))
        for param in command.params:
            if isinstance(param, click.Option):
                long = [o for o in param.opts if o.startswith("--")]
                if long and not any(o in README for o in long):
                    missing.append(f"{' '.join(path)} {long[0]}")
    assert missing == []
