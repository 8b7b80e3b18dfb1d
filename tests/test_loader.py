"""Loading a data folder: ids from file names, list files, stray files, nothing dropped silently."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.diagnostics import Report, Severity
from generator.load.loader import display_path, load_ledger
from generator.load.yamlsource import parse_yaml
from generator.validate.checks import check_ledger

COUNTY = "name: 蒲县\n"
ORG = "name: 蒲县顺达快递\nkind: economic\nindustry: express_logistics\n"


def load(tree, monkeypatch, files: dict[str, str | bytes]):
    """Load ``data/`` written from ``files``, with paths shown relative to the project."""
    root = tree(files)
    monkeypatch.chdir(root)
    report = Report()
    ledger = load_ledger(Path("data"), report)
    return ledger, [d.format("zh") for d in report.sorted()]


def test_one_record_file_takes_its_id_from_the_file_name(tree, monkeypatch):
    ledger, diagnostics = load(
        tree, monkeypatch, {"data/px/county.yaml": COUNTY, "data/px/orgs/express-shunda.yaml": ORG}
    )
    assert diagnostics == []
    (county,) = ledger.counties
    assert list(county.orgs) == ["express-shunda"]
    assert county.orgs["express-shunda"].name == "蒲县顺达快递"
    # Located like any other value: the record starts the file.
    assert str(county.source_of("org", "express-shunda").at("kind")) == (
        "data/px/orgs/express-shunda.yaml:2:7"
    )


def test_an_id_written_in_a_one_record_file_wins_over_the_file_name(tree, monkeypatch):
    ledger, diagnostics = load(
        tree,
        monkeypatch,
        {"data/px/county.yaml": COUNTY, "data/px/orgs/draft.yml": "id: shunda\n" + ORG},
    )
    assert diagnostics == []
    assert list(ledger.counties[0].orgs) == ["shunda"]


def test_list_file_records_keep_their_ids_and_their_own_positions(tree, monkeypatch):
    needs = """
        - id: need-001
          raised_on: 2025-06-12
          summary: 停车难
          status: open
        - id: need-002
          raised_on: 2025-06-13
          summary: 培训
          status: resolved
          resolved_on: 2025-06-20
        """
    ledger, diagnostics = load(
        tree, monkeypatch, {"data/px/county.yaml": COUNTY, "data/px/needs/2025-06.yaml": needs}
    )
    assert diagnostics == []
    county = ledger.counties[0]
    assert list(county.needs) == ["need-001", "need-002"]
    assert county.needs["need-002"].resolved_on == dt.date(2025, 6, 20)
    source = county.source_of("need", "need-002")
    assert str(source.at("status")) == "data/px/needs/2025-06.yaml:8:11"
    assert str(source.key_at("resolved_on")) == "data/px/needs/2025-06.yaml:9:3"


def test_utf8_bom_file_loads(tree, monkeypatch):
    ledger, diagnostics = load(
        tree,
        monkeypatch,
        {
            "data/px/county.yaml": "\ufeff" + COUNTY,
            "data/px/orgs/a.yaml": ("\ufeff" + ORG).encode(),
        },
    )
    assert diagnostics == []
    assert ledger.counties[0].county.name == "蒲县"
    assert list(ledger.counties[0].orgs) == ["a"]


def test_one_bad_record_in_a_list_does_not_hide_the_others(tree, monkeypatch):
    orgs = """
        - id: a
          name: 甲
          kind: economic
          industry: other
        - id: b
          name: 乙
          kind: economic
          industry: other
          employees: many
        - 丙
        - id: c
          name: 丙
          kind: social
          industry: other
        """
    ledger, diagnostics = load(
        tree, monkeypatch, {"data/px/county.yaml": COUNTY, "data/px/orgs/list.yaml": orgs}
    )
    assert sorted(ledger.counties[0].orgs) == ["a", "c"]  # listed by name: 丙 before 甲
    assert [d.split(": ")[0:2] for d in diagnostics] == [
        ["data/px/orgs/list.yaml:9:14", "wrong-type"],
        ["data/px/orgs/list.yaml:10:3", "list-item-type"],
    ]


def test_duplicate_id_in_one_list_names_both_places(tree, monkeypatch):
    orgs = "- id: a\n  name: 甲\n  kind: social\n  industry: other\n" * 2
    ledger, diagnostics = load(
        tree, monkeypatch, {"data/px/county.yaml": COUNTY, "data/px/orgs/list.yaml": orgs}
    )
    assert diagnostics == [
        "data/px/orgs/list.yaml:5:7: duplicate-id: 组织（一企一档）编号 “a” 重复，"
        "已在 data/px/orgs/list.yaml:1:7 使用——同一个县内编号不能重复，请改用别的编号或删除重复的记录"
    ]
    assert ledger.counties[0].orgs["a"].name == "甲"


def test_same_id_in_different_kinds_is_fine(tree, monkeypatch):
    files = {
        "data/px/county.yaml": COUNTY,
        "data/px/orgs/x.yaml": ORG,
        "data/px/grids/x.yaml": "name: 城东\n",
    }
    assert load(tree, monkeypatch, files)[1] == []


def test_records_not_read_are_errors_other_files_warnings(tree, monkeypatch):
    files = {
        "data/px/county.yaml": COUNTY,
        "data/px/orgs/a.yaml": ORG,
        "data/px/orgs/b.txt": ORG,
        "data/px/orgs/2024/c.yaml": ORG,
        "data/px/grid/d.yaml": "name: 城东\n",
        "data/px/notes.md": "备忘\n",
        "data/e.yaml": ORG,
        "data/README.md": "数据说明\n",  # not YAML: clearly not a record, not warned about
        # Hidden files (editor backups, .gitkeep) are not data and not worth a warning.
        "data/px/orgs/.a.yaml.swp": b"\x00",
        "data/.git/config": "",
    }
    ledger, diagnostics = load(tree, monkeypatch, files)
    assert list(ledger.counties[0].orgs) == ["a"]
    stray = "不认识的文件或文件夹，未读取"
    folders = "台账只放在 county.yaml 和 grids/、orgs/、party_orgs/、activities/、needs/、service_centers/ 这些文件夹里，扩展名为 .yaml"
    moved = "这里的台账不会被读取（扩展名、文件名里的空格或子文件夹不对）——请把它改放为"
    kinds = "（文件夹名见：grids、orgs、party_orgs、activities、needs、service_centers）"
    # Records that are not read are errors saying where they belong; other files are warnings.
    assert diagnostics == [
        "data/e.yaml: stray-data-file: 数据文件夹顶层的台账文件不会被读取"
        "——记录要放进县文件夹，例如 data/puxian/orgs/ 里",
        f"data/px/grid: record-not-loaded: {moved} data/px/grids/{kinds}",
        f"data/px/notes.md: stray-file: 警告：{stray}——{folders}",
        f"data/px/orgs/2024: record-not-loaded: {moved} data/px/orgs/{kinds}",
        f"data/px/orgs/b.txt: stray-file: 警告：{stray}——{folders}",
    ]


def test_county_id_mismatch_still_checks_the_county_and_its_records(tree, monkeypatch):
    files = {
        "data/px/county.yaml": "id: puxian\nname: 蒲县\nprovnce: 山西省\n",
        "data/px/orgs/a.yaml": ORG,
    }
    ledger, diagnostics = load(tree, monkeypatch, files)
    assert [d.split(": ")[0:2] for d in diagnostics] == [
        ["data/px/county.yaml:1:5", "county-id-mismatch"],
        ["data/px/county.yaml:3:1", "unknown-field"],
    ]
    assert ledger.counties[0].id == "px"
    assert list(ledger.counties[0].orgs) == ["a"]


@pytest.mark.parametrize("county_yaml", [None, "name: [蒲县\n", "- 蒲县\n"])
def test_records_of_a_county_without_a_usable_county_yaml_are_still_loaded(
    tree, monkeypatch, county_yaml
):
    files = {"data/px/orgs/a.yaml": ORG}
    if county_yaml is not None:
        files["data/px/county.yaml"] = county_yaml
    ledger, diagnostics = load(tree, monkeypatch, files)
    assert len(diagnostics) == 1 and diagnostics[0].startswith("data/px/county.yaml")
    (county,) = ledger.counties
    assert (county.id, list(county.orgs)) == ("px", ["a"])


def test_file_name_that_is_not_an_id_is_reported_with_the_rest_of_the_record(tree, monkeypatch):
    files = {"data/px/county.yaml": COUNTY, "data/px/orgs/Shunda Express.yaml": ORG + "x: 1\n"}
    ledger, diagnostics = load(tree, monkeypatch, files)
    assert [d.split(": ")[0:2] for d in diagnostics] == [
        ["data/px/orgs/Shunda Express.yaml", "invalid-file-name"],
        ["data/px/orgs/Shunda Express.yaml:4:1", "unknown-field"],
    ]
    assert ledger.counties[0].orgs == {}


def test_county_folder_name_must_be_an_id(tree, monkeypatch):
    files = {"data/Pu Xian/county.yaml": COUNTY, "data/px/county.yaml": COUNTY}
    ledger, diagnostics = load(tree, monkeypatch, files)
    assert [c.id for c in ledger.counties] == ["px"]
    assert diagnostics == [
        "data/Pu Xian: invalid-county-folder: 县文件夹名 “Pu Xian” 不符合要求"
        "——只能用小写字母、数字和连字符（-），例如 puxian"
    ]


def test_empty_data_folder_is_an_error(tree, monkeypatch):
    assert load(tree, monkeypatch, {"data/.gitkeep": ""})[1] == [
        "data: no-counties: 数据文件夹里没有任何县的文件夹——每个县一个文件夹，例如 data/puxian/county.yaml"
    ]


def test_display_path_is_relative_to_the_working_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert display_path(tmp_path / "data" / "px" / "county.yaml") == "data/px/county.yaml"
    assert display_path(Path("data/px/county.yaml")) == "data/px/county.yaml"
    outside = tmp_path.parent / "elsewhere" / "county.yaml"
    assert display_path(outside) == "../elsewhere/county.yaml"


# --- property: any file gives records or located diagnostics, never an exception -------------

_FIELDS = ["id", "name", "kind", "industry", "grid", "status", "employees", "party_members",
           "visited_on", "instructors", "six_clears", "nmae", "<<", "? x", "'q'", "id"]  # fmt: skip
_VALUES = ["007", "no", "1:20", ".inf", ".nan", "2025-02-30", "2025/06/12", "2025-06-12", "-3",
           '"12"', "economic", "social", "other", "foo", "[a, b]", "{a: 1}", "&x 1", "*x",
           "!!binary aGk=", "!!python/object:os.system", "|\n  多行\n", "'", '"', "[", "~", "",
           "0x_", "0b_", "._", "蒲县", "<script>", "12.5", "true", "x: y", "：", "\t1"]  # fmt: skip
_value = st.one_of(
    st.sampled_from(_VALUES),
    st.integers(-5, 10**20).map(str),
    st.text(alphabet="abc-_ 蒲县0123456789:#", max_size=12),
)
_fields = st.lists(st.tuples(st.sampled_from(_FIELDS), _value), max_size=8)


def _record_lines(pairs: list[tuple[str, str]]) -> list[str]:
    return [f"{field}: {value}" for field, value in pairs] or ["{}"]


def _as_list(records: list[list[tuple[str, str]]]) -> str:
    lines = []
    for pairs in records:
        first, *rest = _record_lines(pairs)
        lines += ["- " + first] + ["  " + line for line in rest]
    return "\n".join(lines)


def _mutate(text: str, where: int, junk: str) -> str:
    where = where % (len(text) + 1)
    return text[:where] + junk + text[where:]


_document = st.one_of(
    _fields.map(lambda pairs: "\n".join(_record_lines(pairs))),
    st.lists(_fields, max_size=4).map(_as_list),
)
_yamlish = st.one_of(
    _document,
    st.builds(
        _mutate,
        _document,
        st.integers(0, 10_000),
        st.sampled_from(
            [
                "\t",
                "\x00",
                "\x07",
                "：",
                ":",
                "- ",
                "\n  ",
                "\n- ",
                "'",
                "[",
                "&a ",
                "*a",
                "\ufeff",
                "\x85",
                "\r",
            ]
        ),
    ),
)
_data_file = st.one_of(
    st.binary(max_size=300),
    _yamlish.map(lambda t: t.encode("utf-8", "surrogatepass")),
    _yamlish.map(lambda t: t.encode("gb18030")),
    _yamlish.map(lambda t: t.encode("utf-16")),
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(content=_data_file)
def test_any_file_gives_records_or_located_diagnostics(content, site_settings):
    with tempfile.TemporaryDirectory() as work:
        data = Path(work) / "data"
        (data / "px" / "orgs").mkdir(parents=True)
        (data / "px" / "county.yaml").write_text(COUNTY, encoding="utf-8")
        path = data / "px" / "orgs" / "x.yaml"
        path.write_bytes(content)
        report = Report()
        ledger = load_ledger(data, report)
        check_ledger(ledger, site_settings, report, dt.date(2026, 1, 15))
        records = ledger.counties[0].orgs
        errors = [d for d in report.diagnostics if d.severity is Severity.ERROR]
        shown = display_path(path)
        for d in report.diagnostics:
            assert d.location.path == shown
            assert 0 <= d.location.line <= content.count(b"\n") + content.count(b"\r") + 2
            for lang in ("zh", "en"):
                text = d.format(lang)
                assert "\n" not in text and text.startswith(f"{d.location}: {d.code}: ")
        # Nothing dropped in silence: fewer records than the file holds means an error says why.
        parsed = parse_yaml(content.decode("utf-8", "replace"), shown, Report())
        held = parsed.value if parsed is not None else None
        expected = len(held) if isinstance(held, list) else 1
        assert len(records) <= expected  # never a record the file does not hold
        if not errors:  # nothing dropped in silence
            assert len(records) == expected, content


def test_a_bad_record_of_a_list_drops_only_itself_with_an_error_inside_it(tree, site_settings):
    data = tree(
        {
            "data/px/county.yaml": COUNTY,
            "data/px/orgs/list.yaml": (
                "- id: a\n  name: 甲\n  kind: economic\n  industry: other\n"
                "- id: b\n  name: 乙\n  kind: economic\n  industry: other\n  employees: -3\n"
                "- id: c\n  name: 丙\n  kind: social\n  industry: other\n"
            ),
        }
    )
    report = Report()
    ledger = load_ledger(data / "data", report)
    assert sorted(ledger.counties[0].orgs) == ["a", "c"]
    assert [(d.location.line, d.code) for d in report.errors] == [(9, "negative-count")]


def test_a_folder_that_cannot_be_listed_is_reported(tree, monkeypatch):
    listing = Path.iterdir

    def iterdir(self):
        if self.name == "orgs":
            raise PermissionError(13, "Permission denied")
        return listing(self)

    monkeypatch.setattr(Path, "iterdir", iterdir)
    files = {"data/px/county.yaml": COUNTY, "data/px/orgs/a.yaml": ORG}
    ledger, diagnostics = load(tree, monkeypatch, files)
    assert diagnostics == [
        "data/px/orgs: file-unreadable: 无法读取这个文件或文件夹：Permission denied"
        "——请检查它是否存在、是否有读取权限"
    ]
    assert ledger.counties[0].orgs == {}
