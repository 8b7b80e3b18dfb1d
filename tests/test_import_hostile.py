"""Issue 15, item 7: an .xlsx built to attack its reader (an entity bomb, an external entity)
is refused by ``sitegen import`` with a located error (exit 1), before any entity is expanded
(defusedxml, which openpyxl uses when it is installed), and nothing is written."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from tests.test_import import clerk_workbook, import_, snapshot
from tests.test_import import project as project  # noqa: F401  (the fixture)

LAUGHS = (
    '<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(
        f'<!ENTITY lol{n} "{("&lol" + (str(n - 1) if n > 1 else "") + ";") * 10}">'
        for n in range(1, 10)
    )
    + "]>"
)


def hostile(path: Path, member: str, doctype: str, use: str) -> Path:
    """``path`` as a clerk's workbook whose ``member`` declares ``doctype`` and uses ``use``."""
    clean = path.with_name("clean.xlsx")
    clerk_workbook(clean, [[1, "蒲县顺达快递", "企业", "快递物流", "", 3, 12, ""]])
    with zipfile.ZipFile(clean) as source, zipfile.ZipFile(path, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == member:
                text = data.decode("utf-8")
                end = text.index("?>") + 2 if text.startswith("<?xml") else 0  # the prolog
                body = text[end:].replace("蒲县顺达快递", use, 1)
                data = f"{text[:end]}{doctype}{body}".encode()
            target.writestr(info, data)
    return path


@pytest.mark.parametrize(
    ("member", "doctype", "use"),
    [
        ("xl/worksheets/sheet1.xml", LAUGHS, "&lol9;"),  # a billion laughs: 10^9 "lol"
        (
            "xl/worksheets/sheet1.xml",
            '<!DOCTYPE x [<!ENTITY s SYSTEM "file:///etc/passwd">]>',
            "&s;",
        ),
        ("xl/workbook.xml", '<!DOCTYPE x [<!ENTITY s SYSTEM "file:///etc/hostname">]>', ""),
        ("[Content_Types].xml", LAUGHS, ""),
    ],
)
def test_an_xlsx_with_entities_is_refused_and_nothing_is_written(member, doctype, use, project):
    path = hostile(project / "台账.xlsx", member, doctype, use)
    before = snapshot(project / "data")
    done = import_(path.name, "--kind", "orgs")
    assert done.exit_code == 1, done.output
    assert done.stderr.startswith("台账.xlsx: import-file-entities: "), done.stderr
    assert member in done.stderr
    assert "root:" not in done.output and "lollol" not in done.output
    assert snapshot(project / "data") == before
