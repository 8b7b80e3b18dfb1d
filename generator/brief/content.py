"""The brief's text, in the register of the briefs counties send upward (pure).

``BriefData`` in, a list of blocks out (title, headings, paragraphs, a table, figures, the
signature); ``docx_writer`` lays them out. Counts are written as the site writes them, rates
with one decimal (76.0%), dates in Arabic numerals (2026年11月27日, GB/T 9704 7.3.5).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from generator.brief.figures import BriefCounty, BriefData, PeriodDigest
from generator.compute.metrics import METRICS_BY_NAME, Metrics, number_of
from generator.compute.progress import Progress, Status
from generator.render.chartdata import ChartSpec

NUMERALS = "一二三四五六七八九十"
DEFAULT_TITLE = "关于新兴领域“两个覆盖”工作进展情况的报告"
TABLE_HEADER = [
    "县",
    "在册组织（个）",
    "党组织（个）",
    "组织覆盖率",
    "组织覆盖目标",
    "工作覆盖率",
    "工作覆盖目标",
    "目标进展",
]


@dataclass(frozen=True)
class Block:
    """One element of the brief. ``kind``: doc_number, title, recipient, h1, h2, para,
    table_caption, table, figure, caption, issuer, date, note."""

    kind: str
    text: str = ""
    rows: tuple[tuple[str, ...], ...] = ()
    chart: ChartSpec | None = None


def date_zh(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def rate(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


def count(value: int | float | None) -> str:
    return "—" if value is None else f"{value:,}"


def delta(name: str, now: Metrics, before: Metrics | None) -> str:
    """“，较上期增加 2 个” and the like; "" without a comparison or a value."""
    if before is None:
        return ""
    value, previous = number_of(now, name), number_of(before, name)
    if value is None or previous is None:
        return ""
    d = value - previous
    metric = METRICS_BY_NAME[name]
    if metric.is_rate:
        points = round(d * 100, 1)
        if points == 0:
            return "，与上期持平"
        return f"，较上期{'提高' if points > 0 else '下降'}{abs(points):.1f}个百分点"
    if d == 0:
        return "，与上期持平"
    return f"，较上期{'增加' if d > 0 else '减少'}{abs(d):,}{metric.unit}"


def _target_sentence(name: str, p: Progress) -> str:
    metric = METRICS_BY_NAME[name]
    shown = rate if metric.is_rate else count
    text = f"{metric.label}目标为{shown(p.target)}（{date_zh(p.due)}前），目前为{shown(p.value)}，{p.status.label}"
    if p.status is Status.BEHIND and p.pace is not None and p.needed is not None:
        if metric.is_rate:
            text += (
                f"：近3个月月均提高{p.pace * 100:.1f}个百分点，"
                f"按期完成需月均提高{p.needed * 100:.1f}个百分点"
            )
        else:
            text += f"：近3个月月均增加{p.pace:.1f}，按期完成需月均增加{p.needed:.1f}"
    return text


def _headline(data: BriefData) -> str:
    m, b = data.metrics, data.before
    return (
        f"截至{date_zh(data.as_of)}，{data.scope}共有在册新兴领域组织{count(number_of(m, 'orgs_total'))}个"
        f"{delta('orgs_total', m, b)}；建立党组织{count(number_of(m, 'party_orgs_total'))}个"
        f"{delta('party_orgs_total', m, b)}，其中新经济组织党组织{count(number_of(m, 'party_orgs_economic'))}个、"
        f"新社会组织党组织{count(number_of(m, 'party_orgs_social'))}个，单独组建{count(number_of(m, 'party_orgs_standalone'))}个、"
        f"联合组建{count(number_of(m, 'party_orgs_joint'))}个；选派党建工作指导员{count(number_of(m, 'instructors'))}名"
        f"{delta('instructors', m, b)}。实现组织覆盖{count(number_of(m, 'orgs_org_covered'))}个，"
        f"组织覆盖率{rate(number_of(m, 'org_coverage_rate'))}{delta('org_coverage_rate', m, b)}；"
        f"实现工作覆盖{count(number_of(m, 'orgs_work_covered'))}个，工作覆盖率{rate(number_of(m, 'work_coverage_rate'))}"
        f"{delta('work_coverage_rate', m, b)}。应建未建{count(number_of(m, 'standalone_gap'))}个"
        f"{delta('standalone_gap', m, b)}。"
    )


def _county_sentence(c: BriefCounty) -> str:
    m, b = c.metrics, c.before
    parts = [
        f"在册组织{count(number_of(m, 'orgs_total'))}个{delta('orgs_total', m, b)}",
        f"党组织{count(number_of(m, 'party_orgs_total'))}个{delta('party_orgs_total', m, b)}",
        f"组织覆盖率{rate(number_of(m, 'org_coverage_rate'))}{delta('org_coverage_rate', m, b)}",
        f"工作覆盖率{rate(number_of(m, 'work_coverage_rate'))}{delta('work_coverage_rate', m, b)}",
        f"党建工作指导员{count(number_of(m, 'instructors'))}名",
        f"应建未建{count(number_of(m, 'standalone_gap'))}个",
    ]
    text = "；".join(parts) + "。"
    targets = [_target_sentence(n, p) for n, p in c.progress.items()]
    if targets:
        text += "；".join(targets) + "。"
    return text


def _status_cell(progress: dict[str, Progress]) -> str:
    if not progress:
        return "—"
    statuses = {p.status for p in progress.values()}
    for status in (Status.BEHIND, Status.NO_DATA, Status.ON_TRACK):
        if status in statuses:
            return status.label
    return Status.ACHIEVED.label


def _target_cell(progress: dict[str, Progress], name: str) -> str:
    p = progress.get(name)
    return "—" if p is None else rate(p.target)


def county_table(counties: list[BriefCounty]) -> tuple[tuple[str, ...], ...]:
    rows = [tuple(TABLE_HEADER)]
    for c in counties:
        m = c.metrics
        rows.append(
            (
                c.name,
                count(number_of(m, "orgs_total")),
                count(number_of(m, "party_orgs_total")),
                rate(number_of(m, "org_coverage_rate")),
                _target_cell(c.progress, "org_coverage_rate"),
                rate(number_of(m, "work_coverage_rate")),
                _target_cell(c.progress, "work_coverage_rate"),
                _status_cell(c.progress),
            )
        )
    return tuple(rows)


def _work(period: PeriodDigest, data: BriefData, when: str) -> str:
    codes = data.settings.codes
    if not period.activities:
        return f"{when}未登记工作活动。"
    ranked = sorted(period.activities_by_type.items(), key=lambda kv: (-kv[1], kv[0]))
    kinds = "、".join(f"{codes.label('activity_type', k)}{n:,}次" for k, n in ranked)
    text = f"{when}共开展各类工作活动{period.activities:,}次，其中{kinds}。"
    if period.outputs:
        outputs = "、".join(
            f"{_output_label(codes.label('output', k))}{n:,}{_output_unit(codes.label('output', k))}"
            for k, n in period.outputs.items()
        )
        text += f"通过活动{outputs}。"
    return text


def _output_label(label: str) -> str:
    """比对关键数据(条) -> 比对关键数据."""
    return label.split("(")[0].split("（")[0]


def _output_unit(label: str) -> str:
    for opener, closer in (("(", ")"), ("（", "）")):
        if opener in label and label.endswith(closer):
            return label[label.rindex(opener) + 1 : -1]
    return ""


def _needs(data: BriefData, when: str) -> str:
    m, p = data.metrics, data.period
    return (
        f"{when}收集诉求{p.needs_raised:,}项、解决{p.needs_resolved:,}项；"
        f"累计收集诉求{count(number_of(m, 'needs_total'))}项、解决{count(number_of(m, 'needs_resolved'))}项，"
        f"诉求解决率{rate(number_of(m, 'needs_resolution_rate'))}{delta('needs_resolution_rate', m, data.before)}。"
    )


def _cases(data: BriefData, when: str) -> str:
    added = "新增" if data.base_date is not None else "共有"
    if not data.cases:
        return f"{when}{'未新增' if data.base_date is not None else '尚无'}典型案例。"
    listed = "；".join(f"《{c.title}》（{c.county}，{date_zh(c.date)}）" for c in data.cases)
    return f"{when}{added}典型案例{len(data.cases)}篇：{listed}。"


def brief_blocks(data: BriefData, charts: list[ChartSpec]) -> list[Block]:
    """The whole brief, top to bottom."""
    brief = data.settings.site.brief
    when = "本期" if data.base_date is not None else "截至目前"
    blocks: list[Block] = []
    if brief.doc_number:
        blocks.append(Block("doc_number", brief.doc_number))
    title = brief.title or (
        f"关于{data.scope}新兴领域“两个覆盖”工作进展情况的报告" if data.single else DEFAULT_TITLE
    )
    blocks.append(Block("title", title_lines(title)))
    if brief.recipient:
        blocks.append(Block("recipient", f"{brief.recipient}："))
    who = data.scope if data.single else "、".join(c.name for c in data.counties)
    if data.base_date is not None:
        opening = (
            f"自上期报告（{data.base}，{date_zh(data.base_date)}）以来，{who}持续推进新兴领域"
            f"“两个覆盖”工作。现将截至{date_zh(data.as_of)}的工作进展情况报告如下。"
        )
    else:
        opening = f"现将{who}新兴领域“两个覆盖”工作截至{date_zh(data.as_of)}的进展情况报告如下。"
    blocks.append(Block("para", opening))
    sections: list[tuple[str, list[Block]]] = []
    overall = [Block("para", _headline(data))]
    targets = [_target_sentence(n, p) for n, p in data.progress.items()]
    if targets:
        overall.append(Block("para", "从目标进展看，" + "；".join(targets) + "。"))
    for number, spec in enumerate(charts, start=1):
        overall += [Block("figure", chart=spec), Block("caption", f"图{number}　{spec.title}")]
    sections.append(("总体进展", overall))
    if not data.single:
        counties = [
            Block("table_caption", "表1　各县主要指标"),
            Block("table", rows=county_table(data.counties)),
        ]
        for number, c in enumerate(data.counties, start=1):
            counties.append(Block("h2", f"（{_numeral(number)}）{c.name}"))
            counties.append(Block("para", _county_sentence(c)))
        sections.append(("各县进展", counties))
        behind = [
            f"{c.name}（{'、'.join(METRICS_BY_NAME[n].label for n, p in c.progress.items() if p.status is Status.BEHIND)}）"
            for c in data.counties
            if any(p.status is Status.BEHIND for p in c.progress.values())
        ]
        text = (
            f"目标进度滞后的县有{len(behind)}个：{'、'.join(behind)}，需加大摸排组建力度。"
            if behind
            else "各县各项目标均已完成或按期推进，暂无进度滞后的县。"
        )
        sections.append(("进度滞后的县", [Block("para", text)]))
    else:
        table = [
            Block("table_caption", "表1　主要指标"),
            Block("table", rows=county_table(data.counties)),
        ]
        sections[0][1][1:1] = table
    sections.append(("主要工作", [Block("para", _work(data.period, data, when))]))
    sections.append(("诉求收集和办理", [Block("para", _needs(data, when))]))
    sections.append(("典型案例", [Block("para", _cases(data, when))]))
    for number, (heading, body) in enumerate(sections, start=1):
        blocks.append(Block("h1", f"{_numeral(number)}、{heading}"))
        blocks.extend(body)
    if brief.issuer:
        blocks.append(Block("issuer", brief.issuer))
    blocks.append(Block("date", date_zh(data.as_of)))
    revision = data.revision.describe(data.settings.site.timezone)
    blocks.append(Block("note", f"（本报告数字由台账自动生成。{revision}。）"))
    return blocks


TITLE_CHARS = 20  # 2号 characters to a 156 mm line


def title_lines(title: str) -> str:
    """A long title in lines of similar length (GB/T 9704 7.3.3: 梯形或菱形), broken after a
    closing quote or before 工作/情况 where possible, never leaving one character alone."""
    if len(title) <= TITLE_CHARS:
        return title
    middle = len(title) / 2
    places = [i + 1 for i, ch in enumerate(title) if ch in "”）"] + [
        i for i in range(1, len(title)) if title.startswith(("工作", "情况", "的报告"), i)
    ]
    fits = [p for p in places if len(title) - TITLE_CHARS <= p <= TITLE_CHARS]
    cut = min(fits, key=lambda p: abs(p - middle)) if fits else round(middle)
    return f"{title[:cut]}\n{title[cut:]}"


def _numeral(n: int) -> str:
    """``n`` (1 to 9999) in Chinese numerals, as a heading counts: 十一, 一百零一, 一百二十."""
    digits, text, zero = "零" + NUMERALS[:9], "", False
    for power, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit = n // power % 10
        if digit == 0:
            zero = bool(text)  # one 零 for a run of zeros inside the number, none at its end
            continue
        text += ("零" if zero else "") + digits[digit] + unit
        zero = False
    return text[1:] if 10 <= n < 20 else text  # 十一, not 一十一
