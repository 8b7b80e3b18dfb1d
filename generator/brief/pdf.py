"""The brief as PDF, converted by LibreOffice (``soffice --headless --convert-to pdf``).

LibreOffice embeds the fonts it lays the document out with (subsets), so the PDF prints the
same anywhere. Each conversion uses a profile folder of its own: a LibreOffice already open on
the machine, or another conversion, does not block it.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path
from xml.sax.saxutils import escape

from generator.brief.docx_writer import FALLBACKS, for_libreoffice
from generator.diagnostics import BuildError

TIMEOUT = 180


class NoOffice(BuildError):
    """LibreOffice is not installed."""


def find_soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert_to_pdf(docx: Path, pdf: Path) -> None:
    """Write ``pdf`` from ``docx``; NoOffice without LibreOffice, BuildError when it fails."""
    office = find_soffice()
    if office is None:
        raise NoOffice("soffice")
    with tempfile.TemporaryDirectory(prefix="sitegen-office-") as work:
        profile = Path(work, "profile")
        _font_replacements(profile / "user" / "registrymodifications.xcu")
        out = Path(work, "out")
        copy = Path(work, docx.name)
        copy.write_bytes(for_libreoffice(docx.read_bytes()))
        command = [
            office,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf:writer_pdf_Export",
            "--outdir",
            str(out),
            str(copy),
        ]
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT)
        except subprocess.TimeoutExpired as exc:
            raise BuildError(
                f"LibreOffice 转换超时（{TIMEOUT} 秒） / conversion timed out"
            ) from exc
        made = out / f"{docx.stem}.pdf"
        if done.returncode != 0 or not made.is_file():
            detail = (done.stderr or done.stdout).strip().splitlines()[-1:] or [""]
            raise BuildError(f"LibreOffice 未能转换 {docx.name}：{detail[0]}")
        pdf.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(str(made), pdf)


def _font_replacements(path: Path) -> None:
    """A fresh profile whose font replacement table maps the office suites' fonts to free
    ones (LibreOffice's 工具 > 选项 > 字体), so the PDF's body is a serif, its 一、 headings a
    sans, as on a government PC, rather than whatever fontconfig picks first."""
    pairs = []
    for number, (font, (alternative, _)) in enumerate(FALLBACKS.items()):
        substitute = alternative if _installed(alternative) else "Noto Serif CJK SC"
        pairs.append(
            f'<item oor:path="/org.openoffice.Office.Common/Font/Substitution/FontPairs">'
            f'<node oor:name="_{number}" oor:op="replace">'
            f'<prop oor:name="Always" oor:op="fuse"><value>true</value></prop>'
            f'<prop oor:name="OnScreenOnly" oor:op="fuse"><value>false</value></prop>'
            f'<prop oor:name="ReplaceFont" oor:op="fuse"><value>{escape(font)}</value></prop>'
            f'<prop oor:name="SubstituteFont" oor:op="fuse"><value>{escape(substitute)}</value></prop>'
            f"</node></item>"
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<oor:items xmlns:oor="http://openoffice.org/2001/registry" '
        'xmlns:xs="http://www.w3.org/2001/XMLSchema" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        '<item oor:path="/org.openoffice.Office.Common/Font/Substitution">'
        '<prop oor:name="Replacement" oor:op="fuse"><value>true</value></prop></item>'
        + "".join(pairs)
        + "</oor:items>\n",
        encoding="utf-8",
    )


def _installed(family: str) -> bool:
    """Whether fontconfig knows ``family`` (a replacement must exist: one name only)."""
    if shutil.which("fc-list") is None:
        return True
    done = subprocess.run(["fc-list", family], capture_output=True, text=True, check=False)
    return bool(done.stdout.strip())
