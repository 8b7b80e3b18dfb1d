"""The located YAML reader: positions of keys and values, and the YAML 1.1 traps it stops."""

from __future__ import annotations

import datetime as dt
import time

import pytest

from generator.diagnostics import Report
from generator.load import yamlsource
from generator.load.yamlsource import MAX_DEPTH, parse_yaml, read_text


def parse(text: str) -> tuple[object, list[str]]:
    """(the value or None, the diagnostics as the CLI prints them in Chinese)."""
    report = Report()
    parsed = parse_yaml(text, "f.yaml", report)
    return (parsed.value if parsed else None), [d.format("zh") for d in report.diagnostics]


def codes(text: str) -> list[str]:
    report = Report()
    parse_yaml(text, "f.yaml", report)
    return [f"{d.location}: {d.code}" for d in report.diagnostics]


# --- positions ---------------------------------------------------------------------------


def test_positions_of_keys_and_values_count_from_one_in_characters():
    text = "name: 蒲县顺达\nkind:   economic\ntask_force:\n  groups: [综合组, 督导组]\n"
    parsed = parse_yaml(text, "f.yaml", Report())
    assert parsed is not None
    assert parsed.keys_at[("name",)] == (1, 1)
    assert parsed.values_at[("name",)] == (1, 7)
    assert parsed.values_at[("kind",)] == (2, 9)
    assert parsed.keys_at[("task_force", "groups")] == (4, 3)
    # Columns count characters (as editors show them), not UTF-8 bytes.
    assert parsed.values_at[("task_force", "groups", 1)] == (4, 17)
    assert parsed.lines[3] == "  groups: [综合组, 督导组]"


def test_positions_in_a_list_file_are_per_record():
    text = "- id: a\n  name: 甲\n- id: b\n  name: 乙\n"
    parsed = parse_yaml(text, "f.yaml", Report())
    assert parsed is not None
    assert parsed.values_at[(1,)] == (3, 3)
    assert parsed.values_at[(1, "name")] == (4, 9)
    assert parsed.keys_at[(1, "name")] == (4, 3)


def test_plain_values_keep_their_types():
    value, diagnostics = parse(
        "a: 12\nb: 0.6\nc: true\nd: 2025-06-12\ne: ~\nf: '007'\ng: \"no\"\nh: 5+2\ni: 1_000\n"
    )
    assert value == {
        "a": 12, "b": 0.6, "c": True, "d": dt.date(2025, 6, 12), "e": None,
        "f": "007", "g": "no", "h": "5+2", "i": 1000,
    }  # fmt: skip
    assert diagnostics == []


# --- traps ---------------------------------------------------------------------------------


def test_duplicate_key_is_reported_where_it_repeats_and_the_first_value_is_kept():
    value, diagnostics = parse("name: 甲\nkind: social\nname: 乙\n")
    assert value == {"name": "甲", "kind": "social"}
    assert diagnostics == [
        "f.yaml:3:1: yaml-duplicate-key: 字段 “name” 在同一条记录里写了两次（第一次在第 1 行）"
        "——只保留一个，否则前一个值会丢失"
    ]


@pytest.mark.parametrize(
    ("text", "shown"),
    [("id: 007", "7"), ("id: 0x1F", "31"), ("opening_hours: 1:20", "80"), ("t: 1:30.5", "90.5")],
)
def test_numbers_yaml_would_rewrite_are_kept_as_typed_and_reported(text, shown):
    value, diagnostics = parse(text)
    key, typed = text.split(": ")
    assert value == {key: typed}
    assert len(diagnostics) == 1
    assert (
        f"yaml-ambiguous-number: “{typed}” 没有加引号，YAML 会把它读成数字 {shown}"
        in diagnostics[0]
    )


@pytest.mark.parametrize("word", ["no", "No", "off", "yes", "on", "y", "n"])
def test_boolean_words_are_reported_unless_quoted(word):
    value, diagnostics = parse(f"status: {word}\n")
    if word.lower() in ("y", "n"):  # not booleans in YAML 1.1 as PyYAML resolves them
        assert (value, diagnostics) == ({"status": word}, [])
        return
    assert value == {"status": word}
    assert [d.split(": ", 2)[1] for d in diagnostics] == ["yaml-boolean-word"]
    assert parse(f"status: '{word}'\n") == ({"status": word}, [])


@pytest.mark.parametrize("text", [".inf", "-.inf", ".NaN", "+.INF"])
def test_non_finite_numbers_are_reported(text):
    value, diagnostics = parse(f"value: {text}\n")
    assert value == {"value": text}
    assert diagnostics == [f"f.yaml:1:8: yaml-not-finite: “{text}” 不是有限的数——请填写具体数字"]


def test_impossible_date_is_reported_not_raised():
    value, diagnostics = parse("visited_on: 2025-02-30\n")
    assert value == {"visited_on": "2025-02-30"}
    assert diagnostics == [
        "f.yaml:1:13: yaml-invalid-date: 日期 “2025-02-30” 不存在——请检查年月日，例如 2025-02-28"
    ]


@pytest.mark.parametrize("text", ["0x_", "0b_", "-0b_", "._", "+0x_"])
def test_number_lookalikes_that_are_not_numbers_stay_text(text):
    assert parse(f"a: {text}\n") == ({"a": text}, [])


def test_tags_are_refused_as_written():
    value, diagnostics = parse("name: !!python/object/apply:os.system [ls]\nkind: !foo x\n")
    assert value == {"name": None, "kind": None}
    assert [d.split(": 不支持")[0] for d in diagnostics] == [
        "f.yaml:1:7: yaml-tag",
        "f.yaml:2:7: yaml-tag",
    ]
    assert "“!!python/object/apply:os.system”" in diagnostics[0]
    assert "“!foo”" in diagnostics[1]


def test_merge_key_is_refused():
    value, diagnostics = parse("base: &b {kind: social}\nrec:\n  <<: *b\n  name: 甲\n")
    assert value == {"base": {"kind": "social"}, "rec": {"name": "甲"}}
    assert diagnostics == [
        "f.yaml:3:3: yaml-merge-key: 不支持 YAML 合并键“<<”——请把要合并的字段直接写进这条记录"
    ]


def test_a_trap_reached_through_aliases_is_reported_once():
    value, diagnostics = parse("a: &x 007\nb: *x\nc: [*x, *x]\n")
    assert value == {"a": "007", "b": "007", "c": ["007", "007"]}
    assert codes("a: &x 007\nb: *x\nc: [*x, *x]\n") == ["f.yaml:1:4: yaml-ambiguous-number"]


def test_alias_bomb_is_refused_quickly():
    lines = ['a: &a ["x", "x", "x", "x", "x", "x", "x", "x", "x", "x"]']
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 10) + "]")
    started = time.monotonic()
    assert codes("\n".join(lines)) == ["f.yaml:1:1: yaml-too-complex"]
    assert time.monotonic() - started < 5


def test_alias_that_contains_itself_is_refused():
    assert codes("a: &x [1, *x]\n") == ["f.yaml:1:4: yaml-too-deep"]


@pytest.mark.parametrize(
    "text",
    [
        "[" * 100_000 + "]" * 100_000,  # deep enough to crash libyaml's recursive composer
        "- " * 100_000 + "x",
        "a: " + "{b: " * (MAX_DEPTH + 1) + "1" + "}" * (MAX_DEPTH + 1),
    ],
    ids=["flow", "block", "mapping"],
)
def test_deep_nesting_is_refused_without_crashing(text):
    report = Report()
    assert parse_yaml(text, "f.yaml", report) is None
    assert [d.code for d in report.diagnostics] == ["yaml-too-deep"]


@pytest.mark.parametrize("padding", [0, 2000], ids=["short", "long"])
def test_nesting_limit_is_exact(padding):
    """Short texts are measured while building, long ones by a parser pass first: same limit."""
    comment = "#" + "-" * padding + "\n"
    assert parse(comment + "[" * MAX_DEPTH + "]" * MAX_DEPTH)[1] == []
    deeper = comment + "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1)
    assert codes(deeper) == [f"f.yaml:2:{MAX_DEPTH + 1}: yaml-too-deep"]


# --- syntax --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "name: 甲\nkind economic\nindustry: other\n",
            "f.yaml:2:1: yaml-syntax: YAML 格式错误：这一行缺少冒号——字段名后面要写英文冒号和一个空格，"
            "例如 name: 蒲县",
        ),
        (
            "name: 甲\nkind：economic\n",
            "f.yaml:2:5: yaml-fullwidth-colon: 字段名后面用了中文冒号“：”——请改成英文冒号加一个空格，"
            "例如 name: 蒲县",
        ),
        (
            "name：甲\n",  # on its own it would read as one text value
            "f.yaml:1:5: yaml-fullwidth-colon: 字段名后面用了中文冒号“：”——请改成英文冒号加一个空格，"
            "例如 name: 蒲县",
        ),
        (
            'name: "甲\nkind: social\n',
            "f.yaml:1:7: yaml-syntax: YAML 格式错误：引号没有配对——请补上结尾的引号",
        ),
        (
            "covers: [a, b\nkind: social\n",
            "f.yaml:1:9: yaml-syntax: YAML 格式错误：方括号 [ ] 没有配对，或列表项之间缺少英文逗号",
        ),
        (
            "name: 甲\n\tkind: social\n",
            "f.yaml:2:1: yaml-tab: 缩进里有制表符（Tab）——YAML 只能用空格缩进，请把 Tab 换成两个空格",
        ),
        (
            "name: 甲\x07乙\n",
            "f.yaml:1:8: yaml-control-character: 这里有一个看不见的控制字符（#x0007）"
            "——请删除它（常见于从网页、Word 或聊天软件复制来的文字）",
        ),
        (
            "a: 1\n---\nb: 2\n",
            "f.yaml:2:1: yaml-syntax: YAML 格式错误：一个文件只能写一份内容——请删除多出来的 --- 行",
        ),
        ("# 只有注释\n", "f.yaml: file-empty: 文件是空的——请填写记录，或删除这个文件"),
        (
            "name: [\n",
            "f.yaml:2:1: yaml-syntax: YAML 格式错误：这里缺少内容——方括号、花括号或引号可能没有配对，"
            "或者冒号后面的值没写完",
        ),
        (
            "name: 'it's'\n",
            "f.yaml:1:11: yaml-syntax: YAML 格式错误：引号里面又出现了同样的引号——文字里有单引号 ' 时，"
            '整个值改用双引号 "…"（反之亦然）',
        ),
        (
            "name: *星号店\n",
            "f.yaml:1:7: yaml-syntax: YAML 格式错误：以 * 或 & 开头的值会被当成 YAML 别名或锚点"
            "——如果这是文字，请给整个值加引号",
        ),
        (
            "task_force:\n    convener: 书记\n  groups: [a]\n",
            "f.yaml:3:3: yaml-syntax: YAML 格式错误：缩进没有对齐——同一条记录的各个字段要从同一列开始",
        ),
        (
            "name: 甲\nkind: @home\n",
            "f.yaml:2:7: yaml-syntax: YAML 格式错误：值不能以这个字符开头（例如 @ 或 `）——请给整个值加引号",
        ),
    ],
    ids=[
        "missing-colon",
        "fullwidth-colon",
        "fullwidth-colon-alone",
        "unclosed-quote",
        "unclosed-bracket",
        "tab",
        "control-character",
        "two-documents",
        "only-comments",
        "unclosed-at-end",
        "quote-in-quotes",
        "star-text",
        "indentation",
        "at-sign",
    ],
)
def test_syntax_problems_are_located_and_explained(text, expected):
    assert parse(text) == (None, [expected])


def test_fullwidth_colon_inside_a_text_value_is_fine():
    text = "summary: |\n  时间：2025年\n  Tips：先摸排\n"
    assert parse(text) == ({"summary": "时间：2025年\nTips：先摸排\n"}, [])


# --- reading bytes ---------------------------------------------------------------------------


def read(tmp_path, data: bytes) -> tuple[str | None, list[str]]:
    path = tmp_path / "x.yaml"
    path.write_bytes(data)
    report = Report()
    return read_text(path, "x.yaml", report), [d.format("zh") for d in report.diagnostics]


def test_utf8_bom_is_dropped(tmp_path):
    assert read(tmp_path, "\ufeffname: 蒲县\n".encode()) == ("name: 蒲县\n", [])


def test_gbk_file_says_so_at_the_first_bad_character(tmp_path):
    data = "# 台账\n".encode() + "name: 蒲县\n".encode("gbk")
    text, diagnostics = read(tmp_path, data)
    assert text is None
    assert diagnostics == [
        "x.yaml:2:7: file-not-utf8: 文件不是 UTF-8 编码（看起来是 GBK/GB18030 编码）"
        "——请用编辑器重新保存为 UTF-8 编码（记事本：“另存为”时编码选 UTF-8；"
        "VS Code：点右下角的编码，选“通过编码保存”再选 UTF-8）"
    ]


def test_column_of_a_bad_byte_counts_characters_before_it(tmp_path):
    data = "name: 蒲县".encode() + b"\xff\n"
    assert read(tmp_path, data)[1][0].startswith("x.yaml:1:9: file-not-utf8: 文件不是 UTF-8 编码——")


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
@pytest.mark.parametrize(
    "content", ["name: 蒲县\nkind: social\n", "name: 蒲县民营企业协会党支部联合会\n"]
)
def test_utf16_file_is_named_as_such(tmp_path, encoding, content):
    text, diagnostics = read(tmp_path, content.encode(encoding))
    assert text is None
    assert diagnostics[0].startswith(
        "x.yaml: file-not-utf8: 文件不是 UTF-8 编码（看起来是 UTF-16 编码，记事本里叫“Unicode”）"
    )


@pytest.mark.parametrize(
    "data",
    [b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "name: 蒲县\x00\n".encode(), b"name: x\x00"],
    ids=["png", "utf8-with-zero", "ascii-with-zero"],
)
def test_binary_file_is_refused(tmp_path, data):
    assert read(tmp_path, data)[1] == [
        "x.yaml: file-binary: 这不是文本文件（含有二进制内容）——台账文件必须是 UTF-8 文本的 .yaml 文件"
    ]


def test_size_limit_is_checked_before_reading(tmp_path, monkeypatch):
    monkeypatch.setattr(yamlsource, "MAX_FILE_BYTES", 1024 * 1024)
    assert read(tmp_path, b"#" * (1024 * 1024))[1] == []
    assert read(tmp_path, b"#" * (1024 * 1024 + 1))[1] == [
        "x.yaml: file-too-large: 文件有 1.01 MB，超过上限 1 MB——请把记录拆分到多个文件（每个文件可以只放一条记录）"
    ]


def test_unreadable_path_is_reported(tmp_path):
    report = Report()
    assert read_text(tmp_path / "missing.yaml", "missing.yaml", report) is None
    assert [d.code for d in report.diagnostics] == ["file-unreadable"]
