"""The brief as a .docx laid out per GB/T 9704-2012 (党政机关公文格式), with python-docx.

A4; top margin 37 mm, left 28 mm, text block 156 x 225 mm; 22 lines of 28 characters set as
Word sets them for 公文 (a document grid: line pitch 579 twips, character pitch 16 pt - 849/4096
pt); title 2号 (22 pt) 小标宋, body 3号 (16 pt) 仿宋, 一、 headings 黑体, （一） headings 楷体;
page numbers "— 1 —" in 4号 (14 pt) 宋体, odd pages right and even pages left, one character in.
Fonts are named as Chinese office suites know them; the font table names a free font for each
as its alternative (``w:altName``) for machines that lack them.

Same blocks and date in, same bytes out: zip entries and core properties are dated from the
data revision, never the clock.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from pathlib import Path

from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from generator.brief.content import Block
from generator.brief.images import DPI, chart_png
from generator.brief.stamp import fixed_zip

TITLE_FONT, BODY_FONT, H1_FONT, H2_FONT, PAGE_FONT = (
    "方正小标宋简体",
    "仿宋_GB2312",
    "黑体",
    "楷体_GB2312",
    "宋体",
)
# Free fonts to use where the office suite's fonts are missing (Debian: fonts-noto-cjk,
# fonts-arphic-ukai); named in the font table as each font's alternative.
FALLBACKS = {
    TITLE_FONT: ("Noto Serif CJK SC", "roman"),
    BODY_FONT: ("Noto Serif CJK SC", "roman"),
    H1_FONT: ("Noto Sans CJK SC", "swiss"),
    H2_FONT: ("AR PL UKai CN", "script"),
    PAGE_FONT: ("Noto Serif CJK SC", "roman"),
}
TITLE_PT, BODY_PT, TABLE_PT, CAPTION_PT, PAGE_PT = 22, 16, 12, 14, 14
LINE_PITCH = 579  # twips: 225 mm / 22 lines
CHAR_SPACE = -849  # 4096ths of a point off 16 pt: 156 mm / 28 characters
FIGURE_WIDTH_MM = 150
TITLE_LINE_PT = 36


def write_docx(
    blocks: list[Block], when: dt.datetime, author: str, chart_cache: Path | None
) -> bytes:
    """The .docx bytes of the brief's ``blocks``; ``when``: the data revision's time."""
    doc = Document()
    _page_setup(doc)
    _styles(doc)
    body = doc.element.body
    for child in list(body):  # the template's empty paragraph
        if child.tag == qn("w:p"):
            body.remove(child)
    ids = _style_ids(doc)
    for block in blocks:
        _add_block(doc, ids, block, chart_cache)
    _page_numbers(doc)
    _font_table(doc)
    props = doc.core_properties
    props.author = props.last_modified_by = author
    props.title = next((b.text for b in blocks if b.kind == "title"), "").replace("\n", "")
    props.created = props.modified = when.replace(tzinfo=None)
    props.revision = 1
    props.comments = ""
    buffer = io.BytesIO()
    doc.save(buffer)
    return fixed_zip(buffer.getvalue(), when)


def for_libreoffice(docx: bytes) -> bytes:
    """A copy for LibreOffice to convert: it does not set characters on Word's character grid
    as Word does (a glyph wider than a grid cell takes two), so the copy's grid snaps lines
    only and its characters are set 0.25 pt closer: 28 to a line of 156 mm all the same."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(docx)) as source, zipfile.ZipFile(out, "w") as target:
        for entry in source.infolist():
            data = source.read(entry.filename)
            if entry.filename == "word/document.xml":
                data = data.replace(b'w:type="linesAndChars"', b'w:type="lines"')
            elif entry.filename == "word/styles.xml":
                data = re.sub(
                    rb"(<w:rPrDefault><w:rPr><w:rFonts[^>]*/>)",
                    rb'\1<w:spacing w:val="-5"/>',
                    data,
                    count=1,
                )
            target.writestr(entry, data)
    return out.getvalue()


def _page_setup(doc) -> None:
    section = doc.sections[0]
    section.start_type = WD_SECTION.NEW_PAGE
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.header_distance, section.footer_distance = Mm(15), Mm(25)
    sect = section._sectPr
    for old in sect.findall(qn("w:docGrid")):
        sect.remove(old)
    grid = OxmlElement("w:docGrid")
    grid.set(qn("w:type"), "linesAndChars")
    grid.set(qn("w:linePitch"), str(LINE_PITCH))
    grid.set(qn("w:charSpace"), str(CHAR_SPACE))
    sect.append(grid)
    doc.settings.odd_and_even_pages_header_footer = True  # w:evenAndOddHeaders


def _fonts(font, rpr_owner, name: str, size: float) -> None:
    """Set a run's or style's fonts: east-Asian and Latin alike (digits in the same face)."""
    font.name, font.size = name, Pt(size)
    fonts = rpr_owner.get_or_add_rPr().get_or_add_rFonts()
    for attribute in ("w:eastAsia", "w:cs"):
        fonts.set(qn(attribute), name)
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme), None)


# What may follow w:snapToGrid and w:outlineLvl in w:pPr (the schema's order, which Word
# enforces).
_AFTER_SNAP = ("w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap",
               "w:jc", "w:textDirection", "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl",
               "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange")  # fmt: skip
_AFTER_OUTLINE = _AFTER_SNAP[_AFTER_SNAP.index("w:outlineLvl") + 1 :]


def _off_grid(ppr) -> None:
    """Lines of this paragraph keep their own height (figures, tables, footers)."""
    snap = OxmlElement("w:snapToGrid")
    snap.set(qn("w:val"), "0")
    ppr.insert_element_before(snap, *_AFTER_SNAP)


def _style(doc, name: str, font: str, size: float, align, indent_chars: int = 0, outline=None):
    styles = doc.styles
    style = (
        styles[name]
        if name in [s.name for s in styles]
        else styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    )
    if name != "Normal":
        style.base_style = styles["Normal"]
    _fonts(style.font, style.element, font, size)
    fmt = style.paragraph_format
    fmt.alignment = align
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.line_spacing = 1.0  # single: one line of the grid (the template says 1.15)
    fmt.first_line_indent = Pt(indent_chars * BODY_PT)
    ppr = style.element.get_or_add_pPr()
    ppr.get_or_add_ind().set(qn("w:firstLineChars"), str(indent_chars * 100))
    if outline is not None:
        level = OxmlElement("w:outlineLvl")
        level.set(qn("w:val"), str(outline))
        ppr.insert_element_before(level, *_AFTER_OUTLINE)
    return style


def _defaults(doc) -> None:
    """Document defaults: 3号仿宋, Simplified Chinese. The character grid's pitch counts from
    this size (LibreOffice reads it here, Word from Normal): both must be 16 pt."""
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    for child in list(rpr):
        rpr.remove(child)
    fonts = OxmlElement("w:rFonts")
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attribute), BODY_FONT)
    rpr.append(fonts)
    for tag in ("w:sz", "w:szCs"):
        size = OxmlElement(tag)
        size.set(qn("w:val"), str(BODY_PT * 2))
        rpr.append(size)
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")
    lang.set(qn("w:bidi"), "ar-SA")
    rpr.append(lang)


def _styles(doc) -> None:
    _defaults(doc)
    left, center, right = (
        WD_ALIGN_PARAGRAPH.JUSTIFY,
        WD_ALIGN_PARAGRAPH.CENTER,
        WD_ALIGN_PARAGRAPH.RIGHT,
    )
    _style(doc, "Normal", BODY_FONT, BODY_PT, left, indent_chars=2)
    title = _style(doc, "公文标题", TITLE_FONT, TITLE_PT, center, outline=0)
    title.paragraph_format.line_spacing = Pt(TITLE_LINE_PT)  # 2号 lines closer than the grid's
    _off_grid(title.element.get_or_add_pPr())
    _style(doc, "发文字号", BODY_FONT, BODY_PT, center)
    _style(doc, "主送机关", BODY_FONT, BODY_PT, left)
    for name, font, level in (("一级标题", H1_FONT, 1), ("二级标题", H2_FONT, 2)):
        heading = _style(doc, name, font, BODY_PT, left, indent_chars=2, outline=level)
        heading.paragraph_format.keep_with_next = True  # never last on a page
    _style(doc, "图表题", BODY_FONT, CAPTION_PT, center)
    _style(doc, "表题", BODY_FONT, CAPTION_PT, center).paragraph_format.keep_with_next = True
    _style(doc, "图", BODY_FONT, BODY_PT, center).paragraph_format.keep_with_next = True
    _style(doc, "表格文字", BODY_FONT, TABLE_PT, center)
    _style(doc, "署名", BODY_FONT, BODY_PT, right)
    _style(doc, "版本说明", BODY_FONT, TABLE_PT, left)
    for name in ("图", "表格文字", "图表题", "表题", "版本说明"):
        _off_grid(doc.styles[name].element.get_or_add_pPr())


_STYLE_OF = {
    "doc_number": "发文字号",
    "title": "公文标题",
    "recipient": "主送机关",
    "h1": "一级标题",
    "h2": "二级标题",
    "para": "Normal",
    "caption": "图表题",
    "table_caption": "表题",
    "issuer": "署名",
    "date": "署名",
    "note": "版本说明",
}


def _style_ids(doc) -> dict[str, str | None]:
    """Each paragraph style's id as ``w:pStyle`` names it (None: the default style, named by
    no pStyle), looked up once: setting ``Paragraph.style`` searches the styles part every
    time, and a province's brief has thousands of table cells."""
    default = doc.styles.default(WD_STYLE_TYPE.PARAGRAPH)
    return {
        s.name: None if s == default else s.style_id
        for s in doc.styles
        if s.type == WD_STYLE_TYPE.PARAGRAPH
    }


def _paragraph(doc, ids: dict[str, str | None], style: str):
    """A new paragraph at the end of the body in ``style`` (as ``doc.add_paragraph(style=)``)."""
    paragraph = doc.add_paragraph()
    paragraph._p.style = ids[style]  # as the style setter: a w:pPr, with no w:pStyle for None
    return paragraph


def _add_block(doc, ids: dict[str, str | None], block: Block, chart_cache: Path | None) -> None:
    if block.kind == "table":
        _table(doc, ids, block.rows)
        return
    if block.kind == "figure":
        assert block.chart is not None
        png = chart_png(block.chart, chart_cache)
        # as drawn at 300 dpi, never enlarged past it; at most the text block's width
        width_mm = min(FIGURE_WIDTH_MM, int.from_bytes(png[16:20], "big") / DPI * 25.4)
        run = _paragraph(doc, ids, "图").add_run()
        run.add_picture(io.BytesIO(png), width=Mm(width_mm))
        return
    if block.kind in ("issuer", "note"):
        doc.add_paragraph()  # GB/T 9704 7.3.5: a line between the text and the signature
    paragraph = _paragraph(doc, ids, _STYLE_OF[block.kind])
    for number, line in enumerate(block.text.split("\n")):
        run = paragraph.add_run(line)
        if number:
            run._r.insert(0, OxmlElement("w:br"))
    if block.kind == "title":
        doc.add_paragraph()  # a blank line under the title
    if block.kind in ("issuer", "date"):
        # Not sealed: signature and date two characters in from the right (GB/T 9704 7.3.5.3);
        # the shorter one centred over the longer.
        chars = 2.0
        if block.kind == "issuer":
            date_width = 7.0  # 2026年11月27日: three characters and eight half-width digits
            chars += max(0.0, (date_width - len(block.text)) / 2)
        paragraph.paragraph_format.right_indent = Pt(BODY_PT * chars)


def _table(doc, ids: dict[str, str | None], rows: tuple[tuple[str, ...], ...]) -> None:
    table = doc.add_table(rows=len(rows), cols=len(rows[0]))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for r, values in enumerate(rows):
        cells = table.rows[r].cells
        for c, value in enumerate(values):
            paragraph = cells[c].paragraphs[0]
            paragraph._p.style = ids["表格文字"]
            run = paragraph.add_run(value)
            if r == 0:
                _fonts(run.font, run._r, H1_FONT, TABLE_PT)
    header = table.rows[0]._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")  # the header row again on the next page
    header.append(repeat)
    _paragraph(doc, ids, "版本说明")  # space after the table


def _page_numbers(doc) -> None:
    section = doc.sections[0]
    for footer, align, side in (
        (section.footer, WD_ALIGN_PARAGRAPH.RIGHT, "right"),
        (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT, "left"),
    ):
        footer.is_linked_to_previous = False
        paragraph = footer.paragraphs[0]
        paragraph.alignment = align
        setattr(paragraph.paragraph_format, f"{side}_indent", Pt(PAGE_PT))  # one character in
        _off_grid(paragraph._p.get_or_add_pPr())
        _run(paragraph, "— ")
        _field(paragraph, "PAGE")
        _run(paragraph, " —")


def _run(paragraph, text: str):
    run = paragraph.add_run(text)
    _fonts(run.font, run._r, PAGE_FONT, PAGE_PT)
    return run


def _field(paragraph, instruction: str) -> None:
    for kind, text in (
        ("begin", None),
        (None, instruction),
        ("separate", None),
        (None, "1"),
        ("end", None),
    ):
        run = _run(paragraph, "")
        if kind is not None:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)
        elif text == instruction:
            code = OxmlElement("w:instrText")
            code.set(qn("xml:space"), "preserve")
            code.text = f" {instruction} "
            run._r.append(code)
        else:
            run.text = text


def _font_table(doc) -> None:
    """Declare each font with its charset (GB2312), family and free alternative."""
    part = next(
        rel.target_part for rel in doc.part.rels.values() if rel.reltype.endswith("/fontTable")
    )
    from lxml import etree

    root = etree.fromstring(part.blob)
    for name, (alternative, family) in FALLBACKS.items():
        font = etree.SubElement(root, qn("w:font"))
        font.set(qn("w:name"), name)
        alt = etree.SubElement(font, qn("w:altName"))
        alt.set(qn("w:val"), alternative)
        charset = etree.SubElement(font, qn("w:charset"))
        charset.set(qn("w:val"), "86")
        fam = etree.SubElement(font, qn("w:family"))
        fam.set(qn("w:val"), family)
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
