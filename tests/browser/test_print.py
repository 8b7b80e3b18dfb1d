"""The 进展简报 page printed by Chromium (Save as PDF): A4, one county per page, every column,
no web wording, the period and page numbers in the footer."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from browsing import missing

pytestmark = pytest.mark.browser


@pytest.fixture
def printed(visit, tmp_path) -> Path:
    if shutil.which("pdftotext") is None:
        missing("poppler-utils (pdftotext) is needed")
    shown = visit("brief/")
    shown.load_images()
    pdf = tmp_path / "brief.pdf"
    shown.page.emulate_media(media="print")
    shown.page.pdf(path=str(pdf), prefer_css_page_size=True, print_background=True)
    return pdf


def pages(pdf: Path) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True)
    return [" ".join(page.split()) for page in text.stdout.split("\f") if page.strip()]


def test_the_brief_prints_one_county_a_page(printed, site_dir):
    info = subprocess.run(["pdfinfo", str(printed)], capture_output=True, text=True).stdout
    assert re.search(r"Page size:\s+59\d(\.\d+)? x 84\d(\.\d+)? pts \(A4\)", info), info
    text = pages(printed)
    assert len(text) == 3, [t[:60] for t in text]  # 全部县, then 集贤县 and 蒲县 on a page each
    assert text[1].startswith("集贤县") and text[2].startswith("蒲县")
    for number, page in enumerate(text, start=1):
        # both target-progress columns, not cut at the right
        assert "近期月均进度" in page and "所需月均进度" in page, number
        assert "点击图表可放大" not in page and "详细页面" not in page
        # the footer: who reports, the period, the page number
        assert "新兴领域“两个覆盖”工作专班" in page and "数据截至" in page
        assert f"第{number}页/共3页" in page.replace(" ", "")


def test_links_print_in_the_text_colour(visit):
    shown = visit(None)
    shown.page.emulate_media(media="print")  # before the page loads: no colour transition
    shown.goto("brief/")
    colours = shown.page.evaluate(
        """() => [...document.querySelectorAll("article a")]
        .filter(a => a.offsetParent !== null)
        .map(a => [getComputedStyle(a).color, getComputedStyle(a.parentElement).color])"""
    )
    assert colours and all(link == text for link, text in colours)
