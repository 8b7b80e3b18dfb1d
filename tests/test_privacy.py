"""The privacy guard: resident ID numbers and mobile numbers never reach the site."""

from __future__ import annotations

from generator.diagnostics import Report
from generator.validate.privacy import is_resident_id, scan_text

# A structurally valid, made-up number (check digit computed with the GB 11643 weights).
VALID_ID = "11010519491231002X"


def lines(text: str, allowed: set[str] = frozenset()) -> list[str]:
    report = Report()
    scan_text(text, "data/px/orgs/a.yaml", set(allowed), report)
    return [d.format() for d in report.sorted()]


def test_resident_id_check_digit():
    assert is_resident_id(VALID_ID)
    assert is_resident_id(VALID_ID.lower())
    assert not is_resident_id("110105194912310021")  # wrong check digit
    assert not is_resident_id("110105194913310028")  # month 13


def test_id_number_is_reported_masked_with_its_place():
    assert lines(f"name: 蒲县某公司\nnote: 负责人 {VALID_ID}\n") == [
        "data/px/orgs/a.yaml:2:11: personal-id-number: "
        "这里有一个居民身份证号（110***********002X）——网站不能公布个人身份信息，请删除"
    ]


def test_long_digit_strings_that_are_not_ids_pass():
    assert lines("records: 110105194912310021\ncode: '1234567890123456789'\n") == []


def test_mobile_numbers_in_several_spellings():
    found = lines("a: 13812345678\nb: 138-1234-5678\nc: +86 139 1234 5678\nd: 0357-1234567\n")
    assert [line.split(": ")[0] for line in found] == [
        "data/px/orgs/a.yaml:1:4",
        "data/px/orgs/a.yaml:2:4",
        "data/px/orgs/a.yaml:3:4",
    ]
    assert [line[line.index("（") + 1 : line.index("）")] for line in found] == [
        "138****5678",
        "138****5678",
        "139****5678",
    ]


def test_allowed_public_numbers_pass():
    assert lines("hotline: 13812345678\n", {"13812345678"}) == []


def test_a_chart_file_name_is_not_a_mobile_number():
    from generator.validate.privacy import find_in_line

    line = '<img src="../../assets/charts/b15096981928.svg" alt="图表">'
    assert list(find_in_line(line, set())) == []
    assert [f.number for f in find_in_line("电话 b15096981928 号", set())] == ["15096981928"]
