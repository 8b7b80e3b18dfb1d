"""sitegen brief: the period brief as .docx per GB/T 9704, read back with python-docx, and as
PDF by LibreOffice (converted once per test session)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from docx.shared import Mm

ROOT = Path(__file__).resolve().parent.parent


def sitegen(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "generator", "--project", str(ROOT), *args],
        capture_output=True, text=True, timeout=600, env=env,
    )  # fmt: skip


def git(repo: Path, *args: str, date: str = "2025-10-01T08:00:00+08:00") -> str:
    env = {
        "GIT_AUTHOR_NAME": "县委组织部",
        "GIT_AUTHOR_EMAIL": "ledger@example.invalid",
        "GIT_COMMITTER_NAME": "县委组织部",
        "GIT_COMMITTER_EMAIL": "ledger@example.invalid",
        "GIT_AUTHOR_DATE": date,
        "GIT_COMMITTER_DATE": date,
        "PATH": "/usr/bin:/bin",
    }
    done = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


ORG = "name: {name}\nkind: economic\nindustry: express_logistics\ngrid: g1\nemployees: 9\n"


@pytest.fixture(scope="module")
def repo(tmp_path_factory) -> Path:
    """Two reporting periods: report-2025-q3, report-2025-q4, then a commit of the next one."""
    repo = tmp_path_factory.mktemp("brief") / "ledger"
    data = repo / "data" / "demo"
    write(data / "county.yaml", "name: 示例县\n")
    write(data / "grids" / "g1.yaml", "name: 第一网格\nworkers: 2\n")
    write(data / "orgs" / "a.yaml", ORG.format(name="甲快递"))
    write(data / "orgs" / "b.yaml", ORG.format(name="乙快递"))
    write(
        data / "activities" / "2025.yaml",
        "- {id: v1, date: 2025-09-01, type: field_visit, title: 九月走访}\n",
    )
    write(data / "needs" / "n1.yaml", "raised_on: 2025-08-01\nsummary: 需要充电桩\nstatus: open\n")
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "q3", date="2025-09-30T18:00:00+08:00")
    git(repo, "tag", "report-2025-q3")
    for name in ("c", "d", "e"):
        write(data / "orgs" / f"{name}.yaml", ORG.format(name=f"{name}物流"))
    write(
        data / "party_orgs" / "joint.yaml",
        "name: 快递联合党支部\nmode: joint\nestablished_on: 2025-11-20\ncovers: [a, b, c]\n",
    )
    write(
        data / "activities" / "2025.yaml",
        "- {id: v1, date: 2025-09-01, type: field_visit, title: 九月走访}\n"
        "- {id: v2, date: 2025-11-05, type: field_visit, title: 十一月走访, "
        "outputs: {needs_collected: 4}}\n"
        "- {id: t1, date: 2025-12-02, type: training, title: 业务培训}\n",
    )
    write(
        data / "needs" / "n1.yaml",
        "raised_on: 2025-08-01\nsummary: 需要充电桩\nstatus: resolved\nresolved_on: 2025-12-01\n",
    )
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "q4", date="2025-12-31T18:00:00+08:00")
    git(repo, "tag", "report-2025-q4")
    write(data / "orgs" / "f.yaml", ORG.format(name="下期新增"))
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "next", date="2026-01-15T18:00:00+08:00")
    return repo


@pytest.fixture(scope="module")
def period_brief(repo, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("period") / "简报.docx"
    done = sitegen("brief", "--data", str(repo / "data"), "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert "report-2025-q4" in done.stderr and "report-2025-q3" in done.stderr
    return out


def text_of(path: Path) -> str:
    document = docx.Document(str(path))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts += [" | ".join(c.text for c in row.cells) for row in table.rows]
    return "\n".join(parts)


def test_the_newest_report_period_against_the_one_before(period_brief, repo):
    text = text_of(period_brief)
    # at report-2025-q4: 5 orgs (3 added), 1 party org covering 3 of them; f.yaml is later
    assert "共有在册新兴领域组织5个，较上期增加3个" in text
    assert "建立党组织1个，较上期增加1个" in text
    assert "组织覆盖率60.0%，较上期提高60.0个百分点" in text
    assert "自上期报告（report-2025-q3，2025年9月30日）以来" in text
    # activities of the period only (not September's), by type, and their outputs
    assert "本期共开展各类工作活动2次，其中实地走访1次、业务培训1次" in text
    assert "收集需求4项" in text
    assert "本期收集诉求0项、解决1项；累计收集诉求1项、解决1项" in text
    commit = git(repo, "rev-parse", "--short=7", "report-2025-q4")
    last = docx.Document(str(period_brief)).paragraphs[-1].text
    assert commit in last and "2025-12-31" in last
    assert "成文日期" not in text and "2025年12月31日" in text  # 成文日期 in Arabic numerals


def test_a_given_period_and_comparison(repo, tmp_path):
    out = tmp_path / "q3.docx"
    done = sitegen(
        "brief", "--data", str(repo / "data"), "--period", "report-2025-q3", "--out", str(out)
    )
    assert done.returncode == 0, done.stderr
    text = text_of(out)
    assert "共有在册新兴领域组织2个" in text and "较上期" not in text  # nothing before q3
    out = tmp_path / "head.docx"
    done = sitegen("brief", "--data", str(repo / "data"), "--period", "HEAD", "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert "共有在册新兴领域组织6个，较上期增加1个" in text_of(out)  # HEAD against q4


def test_same_data_same_bytes(repo, period_brief, tmp_path):
    again = tmp_path / "again.docx"
    done = sitegen("brief", "--data", str(repo / "data"), "--out", str(again))
    assert done.returncode == 0, done.stderr
    assert again.read_bytes() == period_brief.read_bytes()


def test_layout_per_gb_t_9704(period_brief):
    document = docx.Document(str(period_brief))
    section = document.sections[0]
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297  # A4
    assert abs(section.top_margin - Mm(37)) <= Mm(1) and abs(section.left_margin - Mm(28)) <= Mm(1)
    block_width = section.page_width - section.left_margin - section.right_margin
    block_height = section.page_height - section.top_margin - section.bottom_margin
    assert abs(block_width - Mm(156)) < Mm(0.5) and abs(block_height - Mm(225)) < Mm(0.5)
    grid = section._sectPr.find(qn("w:docGrid"))
    assert grid.get(qn("w:type")) == "linesAndChars"
    assert round(Mm(225).pt * 20 / int(grid.get(qn("w:linePitch")))) == 22  # lines a page
    pitch = 16 + int(grid.get(qn("w:charSpace"))) / 4096
    assert int(Mm(156).pt / pitch) == 28  # characters a line

    def fonts(style_name: str) -> tuple[str, float]:
        style = document.styles[style_name]
        east = style.element.rPr.rFonts.get(qn("w:eastAsia"))
        return east, style.font.size.pt

    assert fonts("Normal") == ("仿宋_GB2312", 16)
    assert fonts("公文标题") == ("方正小标宋简体", 22)
    assert fonts("一级标题") == ("黑体", 16)
    assert fonts("二级标题") == ("楷体_GB2312", 16)
    assert all(document.styles[h].paragraph_format.keep_with_next for h in ("一级标题", "二级标题"))
    paragraphs = document.paragraphs
    assert paragraphs[0].style.name == "公文标题"
    assert [p.text for p in paragraphs if p.style.name == "一级标题"][:2] == [
        "一、总体进展",
        "二、主要工作",
    ]
    # page numbers: different odd and even footers, "— PAGE —" in 4号宋体, right / left
    assert document.settings.odd_and_even_pages_header_footer
    odd, even = section.footer.paragraphs[0], section.even_page_footer.paragraphs[0]
    for footer, side in ((odd, "right"), (even, "left")):
        assert footer.text.replace("1", "") == "—  —"
        assert footer.alignment.name == side.upper()
        assert "PAGE" in footer._p.xml
        runs = [r for r in footer.runs if r.text]
        assert {(r.font.size.pt, r._r.rPr.rFonts.get(qn("w:eastAsia"))) for r in runs} == {
            (14, "宋体")
        }
    # the fonts are declared with free alternatives for machines without them
    table = next(
        rel.target_part for rel in document.part.rels.values() if rel.reltype.endswith("fontTable")
    )
    assert "仿宋_GB2312" in table.blob.decode() and "Noto Serif CJK SC" in table.blob.decode()
    # the charts, at print resolution
    shapes = document.inline_shapes
    assert len(shapes) == 2
    for shape in shapes:
        blip = shape._inline.graphic.graphicData.pic.blipFill.blip
        png = document.part.related_parts[blip.embed].blob
        width_px = int.from_bytes(png[16:20], "big")
        assert shape.width.mm <= 156 and width_px / (shape.width.inches) >= 299  # 300 dpi


def test_county_choice_and_errors(tmp_path):
    out = tmp_path / "px.docx"
    done = sitegen("brief", "--county", "puxian", "--out", str(out))
    assert done.returncode == 0, done.stderr
    text = text_of(out)
    assert "关于蒲县新兴领域" in text.replace("\n", "") and "集贤县" not in text
    done = sitegen("brief", "--county", "puxain", "--out", str(tmp_path / "x.docx"))
    assert done.returncode == 2 and "puxain" in done.stderr and "puxian" in done.stderr
    assert not (tmp_path / "x.docx").exists()


def test_without_libreoffice_the_message_says_how_to_install_it(tmp_path):
    env = dict(os.environ, PATH=str(Path(sys.executable).parent) + ":/nonexistent")
    env.pop("SITEGEN_NO_SUCH", None)
    out = tmp_path / "b.docx"
    done = subprocess.run(
        [sys.executable, "-m", "generator", "--project", str(ROOT), "brief", "--pdf", "--out", str(out)],
        capture_output=True, text=True, timeout=600, env=env, cwd=ROOT,
    )  # fmt: skip
    assert done.returncode == 2, done.stderr
    assert "libreoffice-writer-nogui" in done.stderr and "soffice" in done.stderr
    assert out.is_file() and not out.with_suffix(".pdf").exists()


# --- PDF by LibreOffice: one conversion for the session ---------------------------------


@pytest.fixture(scope="session")
def sample_pdf(tmp_path_factory) -> tuple[Path, dict]:
    if shutil.which("soffice") is None or shutil.which("pdffonts") is None:
        pytest.skip("LibreOffice (libreoffice-writer-nogui) and poppler-utils are needed")
    out = tmp_path_factory.mktemp("pdf") / "简报.docx"
    done = sitegen("brief", "--pdf", "--out", str(out))
    assert done.returncode == 0, done.stderr
    site = tmp_path_factory.mktemp("metrics")
    return out.with_suffix(".pdf"), _sample_metrics(site)


def _sample_metrics(where: Path) -> dict:
    """The sample data's figures as the site computes them (the metrics.json code path)."""
    from generator.compute.figures import compute_site
    from generator.diagnostics import Report
    from generator.load.config import load_settings
    from generator.load.loader import load_ledger

    report = Report()
    settings = load_settings(ROOT / "site_config", report)
    ledger = load_ledger(ROOT / "data", report)
    as_of = max(a.date for c in ledger.counties for a in c.activities.values())
    sm = compute_site(ledger, settings, as_of)
    return {"overall": sm.overall, **sm.counties}


def pdf_text(pdf: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True
    ).stdout


def test_pdf_pages_fonts_and_figures(sample_pdf):
    pdf, metrics = sample_pdf
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    assert re.search(r"Page size:\s+595\.\d+ x 841\.\d+ pts \(A4\)", info)
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    assert 2 <= pages <= 8
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True).stdout
    rows = [line.split() for line in fonts.splitlines()[2:] if line.strip()]
    assert rows and all("yes" in row[-5:-3] for row in rows), fonts  # every font embedded
    assert any("CJK" in row[0] for row in rows)
    text = re.sub(r"\s+", "", pdf_text(pdf))
    o = metrics["overall"]
    for figure in (
        f"在册新兴领域组织{o['orgs_total']}个",
        f"建立党组织{o['party_orgs_total']}个",
        f"组织覆盖率{o['org_coverage_rate'] * 100:.1f}%",
        f"工作覆盖率{o['work_coverage_rate'] * 100:.1f}%",
        f"选派党建工作指导员{o['instructors']}名",
    ):
        assert figure in text, figure
    for county in ("puxian", "jixian"):
        m = metrics[county]
        assert f"在册组织{m['orgs_total']}个" in text and f"党组织{m['party_orgs_total']}个" in text
    assert "—1—" in text and "—2—" in text  # page numbers
    # the last line names the data revision, its time in the site's zone (Beijing), not UTC
    assert "版本" in text[-80:] and "（北京时间）" in text[-80:] and "UTC" not in text[-80:]


def test_a_province_brief_counts_its_counties_past_ninety_nine():
    from generator.brief.content import _numeral

    # the brief numbers each county's section （一）…; a province of 120 counties failed at 100
    assert [_numeral(n) for n in (1, 10, 11, 20, 99)] == ["一", "十", "十一", "二十", "九十九"]
    assert [_numeral(n) for n in (100, 101, 110, 111, 120)] == [
        "一百", "一百零一", "一百一十", "一百一十一", "一百二十",
    ]  # fmt: skip
    assert [_numeral(n) for n in (1000, 1001, 1010)] == ["一千", "一千零一", "一千零一十"]
