"""Read one YAML file safely into plain values, keeping where every value came from.

PyYAML is asked only to *compose* nodes (safe: no Python objects are ever built from tags);
this module turns nodes into values itself, so it can stop the YAML 1.1 traps that would
otherwise lose data in silence: duplicate keys, ``007`` read as 7, ``no`` read as false,
``1:20`` read as 80, ``.nan``, impossible dates, aliases that expand without bound, nesting
deep enough to crash the parser.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from generator.diagnostics import Location, Report
from generator.messages import pair, yaml_problem

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_VALUES = 200_000
# Records nest four levels at most (a list file > record > targets > metric); anything far
# deeper is a mistake, and libyaml's composer recurses in C: ~50,000 levels crash the process.
MAX_DEPTH = 64
# A text with fewer structural characters than this cannot nest deep enough to hurt the C
# composer, so only bigger texts pay for the extra event pass that measures the depth.
_SAFE_STRUCTURE = 1000

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_constructor = yaml.constructor.SafeConstructor()
_resolver = yaml.resolver.Resolver()

STR, INT, FLOAT, BOOL, NULL, TIMESTAMP = (
    f"tag:yaml.org,2002:{t}" for t in ("str", "int", "float", "bool", "null", "timestamp")
)
_TYPED = (INT, FLOAT, BOOL, NULL, TIMESTAMP)
_SEQ, _MAP = "tag:yaml.org,2002:seq", "tag:yaml.org,2002:map"
_MERGE = "tag:yaml.org,2002:merge"
_AMBIGUOUS_INT = re.compile(r"^[-+]?(0[0-9_]+|0[xXoObB].*|[0-9][0-9_]*(:[0-5]?[0-9])+)$")
# A field name followed by a full-width colon: ``name：蒲县`` typed with a Chinese input method.
_FULLWIDTH_KEY = re.compile(r"^\s*(?:-\s+)?[A-Za-z_][A-Za-z0-9_]*\s*(：)")

Path_ = tuple[str | int, ...]


@dataclass
class Parsed:
    """A file's value plus the (line, column) of every value and every mapping key in it."""

    value: Any
    values_at: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    keys_at: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    # Paths whose value was already reported (a YAML trap): later stages stay quiet there.
    reported: set[Path_] = field(default_factory=set)
    # The text's lines, to point inside a multi-line value (e.g. a line of a summary).
    lines: list[str] = field(default_factory=list)


class _TooComplex(Exception):
    pass


class _TooDeep(Exception):
    def __init__(self, line: int, column: int):
        super().__init__(line, column)
        self.line, self.column = line, column


def read_text(path: Path, display: str, report: Report) -> str | None:
    """The file's text, or None after reporting why it cannot be read as UTF-8 text."""
    where = Location(display)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            # Rounded up, so a file just over the limit never reads as "5.00 MB, limit 5 MB".
            shown = f"{math.ceil(size / 1024 / 1024 * 100) / 100:.2f} MB"
            limit = f"{MAX_FILE_BYTES / 1024 / 1024:g} MB"
            report.error(where, "file-too-large", size=shown, limit=limit)
            return None
        data = path.read_bytes()
    except OSError as exc:
        report.error(where, "file-unreadable", reason=exc.strerror or str(exc))
        return None
    if _looks_like_utf16(data):
        guess = pair("phrase.looks-utf16")
        report.error(where, "file-not-utf8", guess=guess)
        return None
    if b"\x00" in data:
        report.error(where, "file-binary")
        return None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line_start = data.rfind(b"\n", 0, exc.start) + 1
        line = data.count(b"\n", 0, exc.start) + 1
        # Columns count characters, as editors do; the line's text before the error is UTF-8.
        before = data[line_start : exc.start].decode("utf-8-sig" if line == 1 else "utf-8")
        guess = ("", "")
        if _looks_like_gbk(data):
            guess = pair("phrase.looks-gbk")
        report.error(Location(display, line, len(before) + 1), "file-not-utf8", guess=guess)
        return None


def _looks_like_utf16(data: bytes) -> bool:
    """A UTF-16 byte-order mark, or bytes with zeros that read as printable UTF-16 text."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return True
    sample = data[: min(len(data), 4000) // 2 * 2]
    # Field names, colons and line ends are ASCII: in UTF-16 each brings a zero byte, always on
    # the same side of its pair.
    for encoding, zeros, others in (("utf-16-le", 1, 0), ("utf-16-be", 0, 1)):
        on_side, off_side = sample[zeros::2].count(0), sample[others::2].count(0)
        if on_side < max(2, len(sample) // 40) or off_side > on_side // 10:
            continue
        try:
            text = sample.decode(encoding)
        except UnicodeDecodeError:
            continue
        if all(c.isprintable() or c in "\t\r\n" for c in text):
            return True
    return False


def _looks_like_gbk(data: bytes) -> bool:
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        return False
    return re.search(r"[\u4e00-\u9fff]", text) is not None


def parse_yaml(text: str, display: str, report: Report) -> Parsed | None:
    """Compose ``text`` and build its value; None (after reporting) when it is not usable YAML."""
    lines = text.splitlines()
    try:
        if _structure_marks(text) >= _SAFE_STRUCTURE:
            deep_at = _too_deep_at(text)
            if deep_at is not None:
                report.error(Location(display, *deep_at), "yaml-too-deep", limit=MAX_DEPTH)
                return None
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        _report_syntax_error(exc, lines, display, report)
        return None
    except yaml.reader.ReaderError as exc:  # control characters and the like
        position = exc.position
        if _Loader is not yaml.SafeLoader:  # libyaml counts bytes of the UTF-8 text
            position = len(text.encode("utf-8")[:position].decode("utf-8", "ignore"))
        line, column = _line_column(text, position)
        character = exc.character
        shown = f"#x{character:04X}" if isinstance(character, int) else repr(character)
        report.error(Location(display, line, column), "yaml-control-character", char=shown)
        return None
    except yaml.YAMLError as exc:
        report.error(Location(display), "yaml-syntax", problem=_one_line(str(exc)))
        return None
    if node is None:
        report.error(Location(display), "file-empty")
        return None
    if isinstance(node, yaml.ScalarNode) and node.tag == STR and "：" in node.value:
        fullwidth = _fullwidth_colon(lines, len(lines))
        if fullwidth is not None:
            report.error(Location(display, *fullwidth), "yaml-fullwidth-colon")
            return None
    builder = _Builder(display, report)
    try:
        value = builder.build(node, (), 1)
    except _TooComplex:
        report.error(Location(display, 1, 1), "yaml-too-complex", limit=MAX_VALUES)
        return None
    except _TooDeep as exc:
        report.error(Location(display, exc.line, exc.column), "yaml-too-deep", limit=MAX_DEPTH)
        return None
    return Parsed(value, builder.values_at, builder.keys_at, builder.reported, lines)


def _structure_marks(text: str) -> int:
    """An upper bound of the nesting depth: every collection needs one of these characters."""
    return sum(text.count(c) for c in "[{-:?")


def _too_deep_at(text: str) -> tuple[int, int] | None:
    """Where the nesting first exceeds MAX_DEPTH, found from parser events (no recursion)."""
    depth = 0
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            mark = event.start_mark
            if depth > MAX_DEPTH and mark is not None:  # the parser marks every event
                return mark.line + 1, mark.column + 1
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
    return None


def _line_column(text: str, position: int) -> tuple[int, int]:
    line_start = max(text.rfind("\n", 0, position), text.rfind("\r", 0, position)) + 1
    return text.count("\n", 0, position) + 1, position - line_start + 1


def _fullwidth_colon(lines: list[str], up_to: int) -> tuple[int, int] | None:
    for number, line in enumerate(lines[:up_to], start=1):
        match = _FULLWIDTH_KEY.match(line)
        if match:
            return number, match.start(1) + 1
    return None


def _one_line(text: str) -> str:
    return " ".join(text.split())


# For these, where the construct began says more than where the parser gave up.
_PREFER_CONTEXT = (
    "simple key",
    "quoted scalar",
    "flow sequence",
    "flow mapping",
    "an alias",
    "an anchor",
)


def _report_syntax_error(
    exc: yaml.MarkedYAMLError, lines: list[str], display: str, report: Report
) -> None:
    mark = exc.problem_mark or exc.context_mark
    if exc.context_mark and any(c in (exc.context or "") for c in _PREFER_CONTEXT):
        mark = exc.context_mark
    line, column = (mark.line + 1, mark.column + 1) if mark else (0, 0)
    problem_line = (exc.problem_mark.line + 1) if exc.problem_mark else line
    fullwidth = _fullwidth_colon(lines, problem_line)
    if fullwidth is not None:
        report.error(Location(display, *fullwidth), "yaml-fullwidth-colon")
        return
    source_line = lines[line - 1] if 0 < line <= len(lines) else ""
    indent = source_line[: len(source_line) - len(source_line.lstrip(" \t"))]
    if "\t" in indent:
        report.error(Location(display, line, column), "yaml-tab")
        return
    problem = _one_line(exc.problem or exc.context or "?")
    # ``name: 'it's'``: the quoted value ended early, right before where the parser gave up.
    ended_early = 1 < column <= len(source_line) + 1 and source_line[column - 2] in "'\""
    if "expected key" in problem and ended_early:
        report.error(
            Location(display, line, column), "yaml-syntax", problem=pair("phrase.quote-in-quotes")
        )
        return
    words = yaml_problem(problem) or pair("phrase.check-line", problem=problem)
    report.error(Location(display, line, column), "yaml-syntax", problem=words)


class _Builder:
    def __init__(self, display: str, report: Report):
        self.display = display
        self.report = report
        self.count = 0
        self.values_at: dict[Path_, tuple[int, int]] = {}
        self.keys_at: dict[Path_, tuple[int, int]] = {}
        self.reported: set[Path_] = set()
        # A node reached through several aliases is reported once, not once per alias.
        self._said: set[tuple[str, int, int]] = set()

    def _where(self, node: yaml.Node) -> Location:
        return Location(self.display, node.start_mark.line + 1, node.start_mark.column + 1)

    def _error(self, node: yaml.Node, path: Path_, code: str, **params: object) -> None:
        where = self._where(node)
        if (code, where.line, where.column) not in self._said:
            self._said.add((code, where.line, where.column))
            self.report.error(where, code, **params)
        self.reported.add(path)

    def build(self, node: yaml.Node, path: Path_, depth: int) -> Any:
        self.count += 1
        if self.count > MAX_VALUES:
            raise _TooComplex
        self.values_at.setdefault(path, (node.start_mark.line + 1, node.start_mark.column + 1))
        if isinstance(node, yaml.ScalarNode):
            return self._scalar(node, path)
        if depth > MAX_DEPTH:  # collections only; also reached by an alias inside itself
            raise _TooDeep(node.start_mark.line + 1, node.start_mark.column + 1)
        if isinstance(node, yaml.SequenceNode):
            if node.tag != _SEQ:
                return self._bad_tag(node, path)
            return [self.build(child, (*path, i), depth + 1) for i, child in enumerate(node.value)]
        if not isinstance(node, yaml.MappingNode) or node.tag != _MAP:
            return self._bad_tag(node, path)
        return self._mapping(node, path, depth)

    def _mapping(self, node: yaml.MappingNode, path: Path_, depth: int) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == _MERGE:
                if key_node.tag == _MERGE:
                    self._error(key_node, path, "yaml-merge-key")
                else:
                    self._error(key_node, path, "yaml-key-type", key="{…}")
                continue
            key = str(key_node.value)
            child = (*path, key)
            if child in self.keys_at:
                first_line = self.keys_at[child][0]
                self._error(key_node, child, "yaml-duplicate-key", key=key, first_line=first_line)
                continue
            self.keys_at[child] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            result[key] = self.build(value_node, child, depth + 1)
        return result

    def _bad_tag(self, node: yaml.Node, path: Path_) -> None:
        tag = node.tag.replace("tag:yaml.org,2002:", "!!", 1)  # as it is written in the file
        self._error(node, path, "yaml-tag", tag=tag)
        return None

    def _trap(self, node: yaml.ScalarNode, path: Path_, code: str, **params: object) -> str:
        self._error(node, path, code, text=node.value, **params)
        return node.value

    def _scalar(self, node: yaml.ScalarNode, path: Path_) -> Any:
        tag, text = node.tag, node.value
        if tag == STR:
            return text
        written = _resolver.resolve(yaml.ScalarNode, text, (True, False))
        if tag in _TYPED and written != tag and not (tag == FLOAT and written == INT):
            # ``!!bool maybe``, ``!!timestamp hello``, ``!!null x``: a tag the text is not.
            tag_written = tag.replace("tag:yaml.org,2002:", "!!", 1)
            return self._trap(node, path, "yaml-tag-value", tag=tag_written)
        if tag == NULL:
            return None
        plain = not node.style  # None (pure-Python loader) or "" (libyaml) for plain scalars
        try:
            return self._typed_scalar(node, path, plain)
        except (ValueError, OverflowError):
            # Resolved as a number by its look but not one (``0x_``): keep the text, and let the
            # record's schema say whether text is allowed there.
            return text

    def _typed_scalar(self, node: yaml.ScalarNode, path: Path_, plain: bool) -> Any:
        tag, text = node.tag, node.value
        if tag == BOOL:
            flag = _constructor.construct_yaml_bool(node)
            if plain and text.lower() not in ("true", "false"):
                return self._trap(node, path, "yaml-boolean-word", value=str(flag).lower())
            return flag
        if tag == INT:
            whole = _constructor.construct_yaml_int(node)
            if plain and _AMBIGUOUS_INT.match(text):
                return self._trap(node, path, "yaml-ambiguous-number", value=whole)
            return whole
        if tag == FLOAT:
            real = _constructor.construct_yaml_float(node)
            if not math.isfinite(real):
                return self._trap(node, path, "yaml-not-finite")
            if ":" in text:
                return self._trap(node, path, "yaml-ambiguous-number", value=real)
            return real
        if tag == TIMESTAMP:
            try:
                return _constructor.construct_yaml_timestamp(node)
            except ValueError:
                return self._trap(node, path, "yaml-invalid-date")
        return self._bad_tag(node, path)
