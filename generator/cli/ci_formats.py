"""Diagnostics in the formats CI systems show next to the changed lines of a merge request."""

from __future__ import annotations

import hashlib
import json

from generator.diagnostics import Diagnostic, Severity
from generator.messages import render_message


def github_annotation(d: Diagnostic, lang: str) -> str:
    """A GitHub Actions workflow command: shown on the file and line in a pull request."""
    level = "error" if d.severity is Severity.ERROR else "warning"
    loc = d.location
    text = f"{d.code}: {render_message(d.code, d.params, lang)}"
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    place = f"file={_property(loc.path)}"
    if loc.line:
        place += f",line={loc.line},col={loc.column}"
    return f"::{level} {place}::{text}"


def _property(value: str) -> str:
    """A workflow command's property (a file name): besides % CR LF, its : and , are escaped,
    so a file name can neither end the property nor start a forged command."""
    return (
        value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        .replace(":", "%3A").replace(",", "%2C")
    )  # fmt: skip


def codequality_report(diagnostics: list[Diagnostic], lang: str) -> str:
    """GitLab's Code Quality JSON: shown in the merge request widget and diff."""
    issues = []
    for d in diagnostics:
        text = render_message(d.code, d.params, lang)
        fingerprint = hashlib.sha256(f"{d.location}|{d.code}|{text}".encode()).hexdigest()
        issues.append(
            {
                "description": f"{d.code}: {text}",
                "check_name": d.code,
                "fingerprint": fingerprint,
                "severity": "major" if d.severity is Severity.ERROR else "minor",
                "location": {"path": d.location.path, "lines": {"begin": max(1, d.location.line)}},
            }
        )
    return json.dumps(issues, ensure_ascii=False, indent=2)
