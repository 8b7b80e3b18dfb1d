"""The .xlsx download: the figures of the CSV downloads, as an official opens them.

Chinese headers with their units, rates as percentages, counts as numbers, one sheet per table
plus a 字段说明 sheet mapping every header to its CSV column code (the codes stay the interface).

A sheet is a ``Sheet`` (name, columns, rows); ``SHEETS`` lists the functions that make them
from a ``SheetInputs``. To add a sheet (follow-ups, regions...), write such a function and add it
to ``SHEETS``; if it needs more than the inputs hold, add an optional field to ``SheetInputs``.

The same figures give the same bytes: the workbook's own timestamps are the data's date and
every zip entry carries a fixed time. Text is always written as text, so a name that starts
with "=" is shown as typed and never becomes a formula.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from generator.compute.figures import Series, SiteMetrics
from generator.compute.followups import RULES_BY_CODE, UNGRIDDED, Followup
from generator.compute.metrics import METRICS, MetricDef, Metrics, value_of
from generator.load.config import Settings
from generator.load.ledger import CountyView, Roster

FORMATS = {"count": "#,##0", "rate": "0.0%", "text": "@", "decimal": "0.0"}
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest time a zip entry can carry


@dataclass(frozen=True)
class Column:
    header: str  # what the reader sees, unit included: 在册组织数（个）
    code: str  # the CSV column it matches, or "" for a column CSV does not have
    kind: str = "count"  # a key of FORMATS
    width: float = 12
    note: str = ""  # the column's meaning, for the 字段说明 sheet


@dataclass(frozen=True)
class Sheet:
    name: str  # at most 31 characters, no []:*?/\
    columns: Sequence[Column]
    rows: Sequence[Sequence[object]]
    frozen: int = 1  # columns kept in view when scrolling sideways (the names)
    # Or the data rows already written as sheet XML (rows_xml), ``written`` of them: a
    # province's 台账体检 rows are written by each county's job and kept with its result.
    xml: bytes = b""  # UTF-8: kept and handed between processes as it is written
    written: int = 0

    @property
    def length(self) -> int:
        """Its data rows."""
        return self.written if self.xml else len(self.rows)


@dataclass(frozen=True)
class SheetInputs:
    roster: Roster
    sm: SiteMetrics
    settings: Settings
    followups: dict[str, list[Followup]] = field(default_factory=dict)  # by county id
    followup_xml: dict[str, bytes] = field(default_factory=dict)  # by county id: followup_xml()


def header(metric: MetricDef, suffix: str = "") -> str:
    label = metric.label + suffix
    return label if metric.unit in ("rate", "breakdown") else f"{label}（{metric.unit}）"


_BREAKDOWNS = {"activities_by_type": "activity_type", "outputs": "output", "figures": "figure"}
_BREAKDOWN_UNITS = {"activities_by_type": "次"}


def metric_columns(settings: Settings, scope: str) -> list[Column]:
    """A column per metric of ``scope`` (breakdowns: one per code-list entry), CSV's order."""
    columns = []
    for m in METRICS:
        if scope not in m.scopes:
            continue
        if not m.is_breakdown:
            kind = "rate" if m.is_rate else "count"
            columns.append(Column(header(m), m.name, kind, 14, m.definition))
            continue
        unit = _BREAKDOWN_UNITS.get(m.name)
        for code, label in getattr(settings.codes, _BREAKDOWNS[m.name]).items():
            text = full_width_brackets(label) + (f"（{unit}）" if unit else "")
            columns.append(Column(f"{m.label}：{text}", f"{m.name}.{code}", "count", 16))
    return columns


def full_width_brackets(text: str) -> str:
    """Chinese text takes full-width brackets: 聘才渠道(个) -> 聘才渠道（个）."""
    return text.replace("(", "（").replace(")", "）")


def metric_values(metrics: Metrics, columns: Sequence[Column]) -> list[object]:
    out: list[object] = []
    for column in columns:
        name, _, code = column.code.partition(".")
        out.append(value_of(metrics, name, code))
    return out


_COUNTY = Column("县", "county_name", "text", 14)
_GRID = Column("网格", "grid_name", "text", 22)


def counties_sheet(inputs: SheetInputs) -> Sheet:
    columns = metric_columns(inputs.settings, "county")
    rows = [
        [c.county.name, *metric_values(inputs.sm.counties[c.id], columns)]
        for c in inputs.roster.counties
    ]
    rows.append(["全部", *metric_values(inputs.sm.overall, columns)])
    return Sheet("各县", [_COUNTY, *columns], rows)


def grids_sheet(inputs: SheetInputs) -> Sheet:
    columns = metric_columns(inputs.settings, "grid")
    rows = [
        [c.county.name, g.name, *metric_values(inputs.sm.grids[(c.id, g.id)], columns)]
        for c in inputs.roster.counties
        for g in c.grids.values()
    ]
    return Sheet("网格", [_COUNTY, _GRID, *columns], rows, frozen=2)


_MONTH = Column("月份", "month", "text", 10)
_IN_MONTH = (
    Column("当月新增诉求（项）", "needs_raised_in_month", "count", 12),
    Column("当月解决诉求（项）", "needs_resolved_in_month", "count", 12),
    Column("当月活动（次）", "activities_in_month", "count", 12),
)


def series_sheet(inputs: SheetInputs) -> Sheet:
    scalars = [c for c in metric_columns(inputs.settings, "county") if "." not in c.code]
    named = [(c.county.name, inputs.sm.series[c.id]) for c in inputs.roster.counties]
    rows = [
        row
        for name, series in [*named, ("全部", inputs.sm.overall_series)]
        for row in _series_rows(name, series, scalars)
    ]
    return Sheet("月度", [_COUNTY, _MONTH, *scalars, *_IN_MONTH], rows, frozen=2)


def _series_rows(name: str, series: Series, scalars: list[Column]) -> Iterable[list[object]]:
    for month, metrics, activities, needs in zip(
        series.months, series.metrics, series.activities, series.needs, strict=True
    ):
        yield [
            name,
            month.label(),
            *metric_values(metrics, scalars),
            *needs,
            sum(activities.values()),
        ]


_FOLLOWUP_COLUMNS = (
    Column("县", "county", "text", 10, "CSV 中为县编号"),
    Column("网格", "grid", "text", 20, "CSV 中为网格编号；空白为未划分网格"),
    Column("规则", "rule", "text", 14, "台账体检规则，定义见网站“方法说明”页；CSV 中为规则代码"),
    Column("类别", "kind", "text", 10, "组织台账、党组织或诉求；CSV 中为 org、party_org、need"),
    Column("编号", "id", "text", 20, "记录编号"),
    Column("名称", "name", "text", 30, "组织或党组织名称；诉求为诉求内容"),
    Column("情况", "detail", "text", 40, "需要跟进的具体情况"),
    Column("台账文件", "file", "text", 40, "记录所在的台账文件"),
    Column("行号", "line", "count", 8, "记录在文件中的行号"),
)
_KIND_NAMES = {"org": "组织台账", "party_org": "党组织", "need": "诉求"}


def followups_sheet(inputs: SheetInputs) -> Sheet:
    """台账体检: every follow-up item, in the order of the follow-up pages (followups.csv).
    Each county's rows as its job wrote them (``followup_xml``), else written here."""
    parts, written = [], 0
    for c in inputs.roster.counties:
        items = inputs.followups.get(c.id, [])
        parts.append(inputs.followup_xml.get(c.id) or followup_xml(c, items))
        written += len(items)
    return Sheet("台账体检", _FOLLOWUP_COLUMNS, [], frozen=2, xml=b"".join(parts), written=written)


def followup_xml(county: CountyView, items: Sequence[Followup]) -> bytes:
    """A county's rows of the 台账体检 sheet, as sheet XML (rows_xml)."""
    rows = []
    for x in items:
        grid = county.grids[x.grid].name if x.grid in county.grids else UNGRIDDED
        rule, kind = RULES_BY_CODE[x.rule].label, _KIND_NAMES[x.kind]
        rows.append([county.county.name, grid, rule, kind, x.id, x.name, x.detail, x.file, x.line])
    return rows_xml(rows, [column.kind for column in _FOLLOWUP_COLUMNS]).encode("utf-8")


_REGION = (
    Column("地区", "region_name", "text", 14),
    Column("级别", "level", "text", 8, "省 (province) 或 地级市 (city)"),
    Column("所属省", "parent_id", "text", 10, "地级市所属省的地区编号（行政区划代码前两位）"),
    Column("县数（个）", "counties", "count", 8, "所辖县数；指标为各县之和，比率由合计数重新计算"),
)


def regions_sheet(inputs: SheetInputs) -> Sheet:
    """Provinces and cities (see regions.csv): sums over their counties, rates recomputed."""
    columns = metric_columns(inputs.settings, "county")
    names = {f.region.id: f.region.name for f in inputs.sm.regions.values()}
    rows = [
        [
            f.region.name,
            "省" if f.region.level == "province" else "地级市",
            names.get(f.region.parent, "") if f.region.parent else "",
            len(f.region.counties),
            *metric_values(f.metrics, columns),
        ]
        for f in inputs.sm.regions.values()
    ]
    return Sheet("各地区", [*_REGION, *columns], rows)


SheetMaker = Callable[[SheetInputs], Sheet]
SHEETS: tuple[SheetMaker, ...] = (
    counties_sheet,
    grids_sheet,
    regions_sheet,
    series_sheet,
    followups_sheet,
)


def fields_sheet(sheets: Sequence[Sheet]) -> Sheet:
    """Every header of every sheet, with its CSV code and meaning."""
    columns = [
        Column("工作表", "", "text", 10),
        Column("表头", "", "text", 34),
        Column("CSV 列名", "", "text", 34),
        Column("含义", "", "text", 80),
    ]
    rows = [[s.name, c.header, c.code, c.note] for s in sheets for c in s.columns]
    return Sheet("字段说明", columns, rows)


def site_workbook(inputs: SheetInputs, makers: Sequence[SheetMaker] = SHEETS) -> bytes:
    return workbook_bytes(*site_sheets(inputs, makers))


def site_sheets(
    inputs: SheetInputs, makers: Sequence[SheetMaker] = SHEETS
) -> tuple[list[Sheet], dt.datetime]:
    """The site workbook's sheets and its time: what ``workbook_bytes`` makes it from (plain
    values, which pickle: another process may write it, see Renderer.write_later)."""
    sheets = [make(inputs) for make in makers]
    return [*sheets, fields_sheet(sheets)], dt.datetime.combine(inputs.sm.as_of, dt.time())


def cells(sheets: Sequence[Sheet]) -> int:
    return sum(sheet.length * len(sheet.columns) for sheet in sheets)


def workbook_bytes(sheets: Sequence[Sheet], stamp: dt.datetime) -> bytes:
    """The workbook as bytes that depend only on ``sheets`` and ``stamp``.

    openpyxl makes the workbook: its sheets with their header rows, widths, frozen panes,
    filters and styles. The data rows are written as sheet XML here (``rows_xml``) and put
    in when openpyxl saves each sheet: openpyxl builds an object for every cell and writes
    some 50,000 a second, so a province's 台账体检 sheet (840,000 cells) took 17 s of every
    rebuild; the same rows are written here about ten times as fast, and a county's rows of
    that sheet only when the county changed (``Sheet.xml``).
    """
    import openpyxl  # imported here: only this download needs it at build time
    from openpyxl.writer.excel import ExcelWriter

    workbook = openpyxl.Workbook()
    workbook.remove(workbook.worksheets[0])  # the empty sheet a new workbook comes with
    rows: dict[str, tuple[bytes, str]] = {}
    for number, sheet in enumerate(sheets, 1):
        styles = _fill(workbook.create_sheet(sheet.name), sheet)
        last = f"{_letter(len(sheet.columns))}{sheet.length + 1}"
        rows[f"xl/worksheets/sheet{number}.xml"] = (_rows_xml(sheet, styles), last)
    workbook.properties.creator = "sitegen"
    workbook.properties.created = workbook.properties.modified = stamp
    buffer = io.BytesIO()
    with _FixedTimeZip(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.rows = rows
        ExcelWriter(workbook, archive).save()  # save_workbook would stamp "modified" with now
    return buffer.getvalue()


def _fill(worksheet, sheet: Sheet) -> dict[str, int]:
    """The header row, the widths, the frozen panes and the filter of ``sheet``; the style id
    of each number format its columns use (the data rows are written by _rows_xml)."""
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    worksheet.append([c.header for c in sheet.columns])
    for cell in worksheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    worksheet.row_dimensions[1].height = 45  # room for a wrapped header: 已注销组织数（个）
    styles = {}
    for kind in dict.fromkeys(column.kind for column in sheet.columns):
        probe = worksheet.cell(2, 1)  # registers the format's style with the workbook
        probe.number_format = FORMATS[kind]
        styles[kind] = probe.style_id
        del worksheet._cells[(2, 1)]
    for index, column in enumerate(sheet.columns, 1):
        # wide enough for the header on two lines: a unit never wraps alone
        wide = min(1.1 * len(column.header) + 2, 30)
        worksheet.column_dimensions[get_column_letter(index)].width = max(column.width, wide)
    worksheet.freeze_panes = f"{get_column_letter(sheet.frozen + 1)}2"
    if sheet.length:
        last = get_column_letter(len(sheet.columns))
        worksheet.auto_filter.ref = f"A1:{last}{sheet.length + 1}"
    return styles


def _letter(column: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(column)


def _rows_xml(sheet: Sheet, styles: dict[str, int]) -> bytes:
    """The data rows of ``sheet`` as sheet XML, its columns' styles in place."""
    xml = sheet.xml or rows_xml(sheet.rows, [c.kind for c in sheet.columns]).encode("utf-8")
    for kind, style in styles.items():
        xml = xml.replace(_style(kind).encode(), str(style).encode())
    return xml


def _style(kind: str) -> str:
    """Where rows_xml leaves a column's style id: control characters no text can hold
    (rows_xml drops them from text)."""
    return f"\x00{kind}\x00"


def rows_xml(rows: Iterable[Sequence[object]], kinds: Sequence[str]) -> str:
    """``rows`` as the <row> elements of a sheet's XML, each the next row (the header is row
    1); ``kinds``: each column's kind (a key of FORMATS). The rows and cells carry no
    reference (``r``, optional in SpreadsheetML: a row is the one after the row before, a cell
    the one after the cell before), so that the rows of one county are the same text wherever
    they fall in the sheet; a column's style id is left as _style(kind) for workbook_bytes.
    Text is always text (an inline string: "=1+1" stays as typed); numbers carry their
    column's style; a missing value is an empty cell of its column's style."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.compat.strings import safe_string

    styles = [_style(kind) for kind in kinds]
    parts = []
    for values in rows:
        parts.append("<row>")
        for style, value in zip(styles, values, strict=True):
            if isinstance(value, str):
                text = ILLEGAL_CHARACTERS_RE.sub("", value)
                if not text:
                    parts.append('<c t="inlineStr"/>')
                    continue
                space = ' xml:space="preserve"' if text != text.strip() else ""
                parts.append(f'<c t="inlineStr"><is><t{space}>{_xml_text(text)}</t></is></c>')
            elif value is None:
                parts.append(f'<c s="{style}" t="n"/>')
            elif isinstance(value, bool):
                parts.append(f'<c s="{style}" t="b"><v>{int(value)}</v></c>')
            else:
                parts.append(f'<c s="{style}" t="n"><v>{safe_string(value)}</v></c>')
        parts.append("</row>")
    return "".join(parts)


def _xml_text(text: str) -> str:
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")
    )


class _FixedTimeZip(zipfile.ZipFile):
    """A zip whose entries carry a fixed time instead of the moment they were written, and
    whose sheets get their data rows (``rows``: sheet XML by entry name) as they are saved."""

    rows: dict[str, tuple[bytes, str]] = {}

    def writestr(self, name, data, compress_type=None, compresslevel=None):  # noqa: ANN001
        if isinstance(name, str):
            if name in self.rows:
                data = _with_rows(
                    data if isinstance(data, bytes) else data.encode(), self.rows[name]
                )
            name = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
            name.compress_type = zipfile.ZIP_DEFLATED
        super().writestr(name, data, compress_type, compresslevel)

    def write(self, filename, arcname=None, compress_type=None, compresslevel=None):  # noqa: ANN001
        # openpyxl writes each worksheet to a temporary file first; its time is not the data's
        with open(filename, "rb") as source:
            self.writestr(str(arcname or filename), source.read(), compress_type, compresslevel)


def _with_rows(xml: bytes, rows: tuple[bytes, str]) -> bytes:
    """A sheet's XML as openpyxl wrote it (the header row only) with its data rows after the
    header, and its <dimension> over them too (to the cell ``last``, as its filter's)."""
    data, last = rows
    if not data:
        return xml
    end = xml.index(b"</sheetData>")
    xml = xml[:end] + data + xml[end:]
    start = xml.index(b'<dimension ref="') + len(b'<dimension ref="')
    return xml[:start] + b"A1:" + last.encode() + xml[xml.index(b'"', start) :]
