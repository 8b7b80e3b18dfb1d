"""Write record files that read back exactly as written.

Strings YAML 1.1 would misread (``'007'``, ``'no'``, ``'1:20'``, ``'2025-06-12'`` as text) are
quoted, dates are ISO, text is UTF-8, multi-line text is a ``|`` block. Every text is parsed
back with the loader's own parser before it is written; a mismatch is a bug and stops the write.
A record inside a list file (``activities/2025-06.yaml``) is replaced in place: only its lines
change, the other records and their comments stay as they were.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel

from generator.diagnostics import Report, SitegenError
from generator.fields import references
from generator.load.ledger import RecordSource
from generator.load.yamlsource import parse_yaml


class _Dumper(yaml.SafeDumper):
    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        # Lists under a field are indented (``  - operations``), as in the sample data.
        return super().increase_indent(flow, False)


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


class FlowList(list):
    """A list written on one line, ``[a, b]``: how the data writes lists of record ids."""


def _represent_flow_list(dumper: yaml.SafeDumper, value: FlowList) -> yaml.SequenceNode:
    return dumper.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=True)


_Dumper.add_representer(str, _represent_str)
_Dumper.add_representer(FlowList, _represent_flow_list)


def with_flow_lists(model: type[BaseModel], values: dict[str, Any]) -> dict[str, Any]:
    """Lists of record ids (covers, orgs) on one line, as in the rest of the data."""
    refs = references(model)
    return {
        name: FlowList(value) if isinstance(value, list) and name in refs else value
        for name, value in values.items()
    }


def dump_yaml(value: Any) -> str:
    return yaml.dump(
        value,
        Dumper=_Dumper,
        allow_unicode=True,
        sort_keys=False,
        default_flow_style=False,
        width=10_000,
    )


def dump_scalar(value: Any) -> str:
    """One value on one line, as it follows ``field: `` (lists and mappings in flow style)."""
    text = yaml.dump(
        value, Dumper=_Dumper, allow_unicode=True, default_flow_style=True, width=10_000
    )
    return text.removesuffix("\n...\n").rstrip("\n")


def _reads_back(text: str, expected: Any) -> bool:
    parsed = parse_yaml(text, "<record>", Report())
    return parsed is not None and parsed.value == expected


@dataclass
class RecordWrite:
    """One record to write: a new file, a whole one-record file, or an item of a list file."""

    path: Path
    values: dict[str, Any]  # field values in model order, ``id`` included
    source: RecordSource | None = None  # where the record is now (None: a new file)


def write_records(writes: list[RecordWrite]) -> None:
    """Write every record; list files get all their changed items in one rewrite."""
    texts: dict[Path, str] = {}
    by_list_file: dict[Path, list[RecordWrite]] = {}
    for write in writes:
        if write.source is not None and write.source.prefix:
            by_list_file.setdefault(write.path, []).append(write)
        else:
            texts[write.path] = record_text(write)
    for path, items in by_list_file.items():
        texts[path] = _replace_items(path.read_text(encoding="utf-8-sig"), items)
    for path, text in texts.items():
        _atomic_write(path, text)


def record_text(write: RecordWrite) -> str:
    values = dict(write.values)
    had_id = write.source is not None and "id" in (write.source.parsed.value or {})
    if values.get("id") == write.path.stem and not had_id:
        del values["id"]  # a one-record file's id is its file name
    text = dump_yaml(values)
    if not _reads_back(text, _plain(values)):
        raise SitegenError(f"internal error: {write.path} would not read back as written")
    return text


def _replace_items(text: str, items: list[RecordWrite]) -> str:
    lines = text.splitlines(keepends=True)
    # Each item is a record already in this list file: a source whose prefix is its index.
    indexed: list[tuple[int, RecordWrite]] = []
    for item in items:
        assert item.source is not None and isinstance(item.source.prefix[0], int)
        indexed.append((item.source.prefix[0], item))
        parsed = item.source.parsed  # the one file's, the same for every item
    expected = list(parsed.value)
    for index, item in sorted(indexed, key=lambda pair: pair[0], reverse=True):
        start_line, start_column = parsed.values_at[(index,)]
        following = parsed.values_at.get((index + 1,))
        end = following[0] - 1 if following else len(lines)
        # Blank lines and comments after the record belong to what follows: they stay.
        while end > start_line and lines[end - 1].strip()[:1] in ("", "#"):
            end -= 1
        lead = lines[start_line - 1][: start_column - 1]
        body = dump_yaml(item.values).splitlines(keepends=True)
        new = [lead + body[0]] + [" " * len(lead) + line for line in body[1:]]
        lines[start_line - 1 : end] = new
        expected[index] = _plain(item.values)
    result = "".join(lines)
    if not _reads_back(result, expected):
        raise SitegenError(f"internal error: {items[0].path} would not read back as written")
    return result


def _plain(values: Any) -> Any:
    """Values as the parser gives them back (tuples are lists)."""
    if isinstance(values, dict):
        return {k: _plain(v) for k, v in values.items()}
    if isinstance(values, list | tuple):
        return [_plain(v) for v in values]
    return values


def _atomic_write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        os.chmod(tmp, path.stat().st_mode & 0o777 if path.exists() else 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def create_file(path: Path, text: str) -> None:
    """Write a new file; never replaces one (another clerk may have created it meanwhile)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8", newline="\n") as handle:
        handle.write(text)
