"""Office files (.docx, .xlsx) dated from the data, not the clock: same data, same bytes."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile

_CORE_DATES = re.compile(
    rb"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:\2>)"
)  # fmt: skip


def fixed_zip(data: bytes, when: dt.datetime) -> bytes:
    """The same zip with every entry dated ``when`` and the core properties' created and
    modified set to it (python-docx and openpyxl use the clock for both)."""
    stamp = (max(when.year, 1980), when.month, when.day, when.hour, when.minute, when.second)
    iso = when.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for entry in source.infolist():
            content = source.read(entry.filename)
            if entry.filename == "docProps/core.xml":
                content = _CORE_DATES.sub(lambda m: m.group(1) + iso + m.group(3), content)
            info = zipfile.ZipInfo(entry.filename, date_time=stamp)
            stored = entry.filename.endswith((".png", ".jpeg", ".jpg"))  # compressed already
            info.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
            info.create_system = 0
            info.external_attr = 0
            target.writestr(info, content)
    return out.getvalue()
