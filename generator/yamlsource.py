"""Read one YAML file safely into plain values, keeping where every value came from.

PyYAML is asked only to *compose* nodes (safe: no Python objects are ever built from tags);
this module turns nodes into values itself, so it can stop the YAML 1.1 traps that would
otherwise lose data in silence: duplicate keys, ``007`` read as 7, ``no`` read as false,
``1:20`` read as 80, ``.nan``, impossible dates, aliases that expand without bound.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from generator.diagnostics import Location, Report

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_VALUES = 200_000

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_constructor = yaml.constructor.SafeConstructor()

STR, INT, FLOAT, BOOL, NULL, TIMESTAMP = (
    f"tag:yaml.org,2002:{t}" for t in ("str", "int", "float", "bool", "null", "timestamp")
)
_SEQ, _MAP = "tag:yaml.org,2002:seq", "tag:yaml.org,2002:map"
_AMBIGUOUS_INT = re.compile(r"^[-+]?(0[0-9_]+|0[xXoObB].*|[0-9][0-9_]*(:[0-5]?[0-9])+)$")

Path_ = tuple[str | int, ...]


@dataclass
class Parsed:
    """A file's value plus the (line, column) of every value and every mapping key in it."""

    value: Any
    values_at: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    keys_at: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    # Paths whose value was already reported (a YAML trap): later stages stay quiet there.
    reported: set[Path_] = field(default_factory=set)


class _TooComplex(Exception):
    pass


def read_text(path: Path, display: str, report: Report) -> str | None:
    """The file's text, or None after reporting why it cannot be read as UTF-8 text."""
    where = Location(display)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            report.error(where, "file-too-large", size=size, limit=MAX_FILE_BYTES)
            return None
        data = path.read_bytes()
    except OSError as exc:
        report.error(where, "file-unreadable", reason=exc.strerror or str(exc))
        return None
    if b"\x00" in data:
        report.error(where, "file-binary")
        return None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        try:
            data.decode("gb18030")
            guess = ("（看起来是 GBK/GB18030 编码）", " (it looks like GBK/GB18030)")
        except UnicodeDecodeError:
            guess = ("", "")
        report.error(Location(display, line, column), "file-not-utf8", guess=guess)
        return None


def parse_yaml(text: str, display: str, report: Report) -> Parsed | None:
    """Compose ``text`` and build its value; None (after reporting) when it is not usable YAML."""
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        where = Location(display, line, column)
        source_line = text.splitlines()[line - 1] if 0 < line <= len(text.splitlines()) else ""
        indent = source_line[: len(source_line) - len(source_line.lstrip(" \t"))]
        if "\t" in indent or "'\\t'" in str(exc.problem):
            report.error(where, "yaml-tab")
        else:
            report.error(where, "yaml-syntax", problem=_yaml_problem(exc))
        return None
    except yaml.YAMLError as exc:  # reader errors: control characters and the like
        report.error(Location(display), "yaml-syntax", problem=str(exc).splitlines()[0])
        return None
    if node is None:
        report.error(Location(display), "file-empty")
        return None
    builder = _Builder(display, report)
    try:
        value = builder.build(node, ())
    except _TooComplex:
        report.error(Location(display, 1, 1), "yaml-too-complex", limit=MAX_VALUES)
        return None
    return Parsed(value, builder.values_at, builder.keys_at, builder.reported)


def _yaml_problem(exc: yaml.MarkedYAMLError) -> str:
    problem = exc.problem or exc.context or "?"
    return problem.replace("\n", " ")


class _Builder:
    def __init__(self, display: str, report: Report):
        self.display = display
        self.report = report
        self.count = 0
        self.values_at: dict[Path_, tuple[int, int]] = {}
        self.keys_at: dict[Path_, tuple[int, int]] = {}
        self.reported: set[Path_] = set()

    def _where(self, node: yaml.Node) -> Location:
        return Location(self.display, node.start_mark.line + 1, node.start_mark.column + 1)

    def build(self, node: yaml.Node, path: Path_) -> Any:
        self.count += 1
        if self.count > MAX_VALUES:
            raise _TooComplex
        self.values_at.setdefault(path, (node.start_mark.line + 1, node.start_mark.column + 1))
        if isinstance(node, yaml.ScalarNode):
            return self._scalar(node, path)
        if isinstance(node, yaml.SequenceNode):
            if node.tag != _SEQ:
                return self._bad_tag(node, path)
            return [self.build(child, (*path, i)) for i, child in enumerate(node.value)]
        if node.tag != _MAP:
            return self._bad_tag(node, path)
        return self._mapping(node, path)

    def _mapping(self, node: yaml.MappingNode, path: Path_) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == "tag:yaml.org,2002:merge":
                shown = "<<" if key_node.tag == "tag:yaml.org,2002:merge" else "{…}"
                self.report.error(self._where(key_node), "yaml-key-type", key=shown)
                self.reported.add(path)
                continue
            key = str(key_node.value)
            child = (*path, key)
            if child in self.keys_at:
                first_line = self.keys_at[child][0]
                self.report.error(
                    self._where(key_node), "yaml-duplicate-key", key=key, first_line=first_line
                )
                self.reported.add(child)
                continue
            self.keys_at[child] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            result[key] = self.build(value_node, child)
        return result

    def _bad_tag(self, node: yaml.Node, path: Path_) -> None:
        self.report.error(self._where(node), "yaml-tag", tag=node.tag)
        self.reported.add(path)
        return None

    def _trap(self, node: yaml.ScalarNode, path: Path_, code: str, **params: object) -> str:
        self.report.error(self._where(node), code, text=node.value, **params)
        self.reported.add(path)
        return node.value

    def _scalar(self, node: yaml.ScalarNode, path: Path_) -> Any:
        tag, text = node.tag, node.value
        if tag == STR:
            return text
        if tag == NULL:
            return None
        plain = not node.style  # None (pure-Python loader) or "" (libyaml) for plain scalars
        if tag == BOOL:
            value = _constructor.construct_yaml_bool(node)
            if plain and text.lower() not in ("true", "false"):
                return self._trap(node, path, "yaml-boolean-word", value=str(value).lower())
            return value
        if tag == INT:
            value = _constructor.construct_yaml_int(node)
            if plain and _AMBIGUOUS_INT.match(text):
                return self._trap(node, path, "yaml-ambiguous-number", value=value)
            return value
        if tag == FLOAT:
            value = _constructor.construct_yaml_float(node)
            if not math.isfinite(value):
                return self._trap(node, path, "yaml-not-finite")
            if ":" in text:
                return self._trap(node, path, "yaml-ambiguous-number", value=value)
            return value
        if tag == TIMESTAMP:
            try:
                return _constructor.construct_yaml_timestamp(node)
            except ValueError:
                return self._trap(node, path, "yaml-invalid-date")
        return self._bad_tag(node, path)
