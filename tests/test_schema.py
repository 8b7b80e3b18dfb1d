"""``sitegen schema`` and the editor set-up: JSON Schema that matches the models and the data."""

from __future__ import annotations

import datetime as dt
import fnmatch
import functools
import json
import shutil
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from generator.cli.main import cli
from generator.diagnostics import Report
from generator.entry.schema import SCHEMA_DIR, file_globs, render, schema_files
from generator.load.config import load_settings
from generator.load.yamlsource import parse_yaml

ROOT = Path(__file__).resolve().parents[1]
SCHEMAS = ROOT / SCHEMA_DIR


def _as_editor_sees_it(value: object) -> object:
    """The YAML extension reads YAML 1.2, where an unquoted 2025-06-12 is text."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _as_editor_sees_it(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_as_editor_sees_it(v) for v in value]
    return value


@functools.cache
def validator(name: str) -> jsonschema.Draft7Validator:
    schema = json.loads((SCHEMAS / name).read_text(encoding="utf-8"))
    jsonschema.Draft7Validator.check_schema(schema)
    return jsonschema.Draft7Validator(schema, format_checker=jsonschema.FormatChecker())


def test_committed_schemas_are_what_sitegen_schema_writes():
    """If this fails, run `sitegen schema` and commit site_config/schemas/."""
    settings = load_settings(ROOT / "site_config", Report())
    expected = {name: render(schema) for name, schema in schema_files(settings.codes).items()}
    committed = {p.name: p.read_text(encoding="utf-8") for p in SCHEMAS.glob("*.schema.json")}
    assert committed == expected
    done = CliRunner().invoke(cli, ["--project", str(ROOT), "schema", "--check"])
    assert done.exit_code == 0, done.output


def test_a_stale_schema_is_found(tmp_path: Path):
    shutil.copytree(SCHEMAS, tmp_path / "schemas")
    (tmp_path / "schemas" / "org.schema.json").write_text("{}\n", encoding="utf-8")
    done = CliRunner().invoke(
        cli, ["--project", str(ROOT), "schema", "--check", "--out", str(tmp_path / "schemas")]
    )
    assert done.exit_code == 1
    assert "org.schema.json: schema-outdated: JSON Schema 文件与代码不一致" in done.stderr


def data_files() -> list[tuple[str, Path]]:
    files = []
    for name, globs in file_globs().items():
        for pattern in globs:
            files += [(name, path) for path in sorted(ROOT.glob(pattern))]
    return files


@pytest.mark.parametrize(("schema", "path"), data_files(), ids=lambda v: getattr(v, "name", v))
def test_every_sample_file_validates_against_its_schema(schema: str, path: Path):
    parsed = parse_yaml(path.read_text(encoding="utf-8"), str(path), Report())
    errors = [e.message for e in validator(schema).iter_errors(_as_editor_sees_it(parsed.value))]
    assert errors == []


@pytest.mark.parametrize(
    ("schema", "record"),
    [
        ("org.schema.json", {"name": "x", "kind": "economic", "industry": "卖菜"}),
        ("org.schema.json", {"name": "x", "kind": "经济", "industry": "other"}),
        ("org.schema.json", {"name": "x", "kind": "economic", "industry": "other", "employes": 3}),
        (
            "org.schema.json",
            {"name": "x", "kind": "economic", "industry": "other", "employees": -1},
        ),
        ("org.schema.json", [{"name": "x", "kind": "economic", "industry": "other"}]),  # no id
        ("activity.schema.json", {"date": "2025/6/12", "type": "training", "title": "t"}),
        (
            "activity.schema.json",
            {"date": "2025-06-12", "type": "training", "title": "t", "outputs": {"needs": 3}},
        ),
        ("county.schema.json", {"name": "x", "division_code": "14103"}),
        (
            "county.schema.json",
            {"name": "x", "targets": {"org_rate": {"value": 1, "due": "2026-12-31"}}},
        ),
    ],
)
def test_the_schemas_reject_what_the_loader_rejects(schema: str, record: object):
    assert list(validator(schema).iter_errors(record))


def test_code_lists_and_choices_carry_their_chinese_labels():
    org = json.loads((SCHEMAS / "org.schema.json").read_text(encoding="utf-8"))
    fields = org["definitions"]["record"]["properties"]
    industry = fields["industry"]
    assert industry["enum"][0] == "express_logistics"
    assert industry["enumDescriptions"][0] == "快递物流"
    assert fields["kind"]["enumDescriptions"] == ["新经济组织", "新社会组织"]
    assert fields["six_clears"]["items"]["enumDescriptions"][0] == "经营运行清"
    assert fields["party_members"]["description"] == "党员数（party_members）"


def test_site_code_list_additions_reach_the_schema(tmp_path: Path):
    shutil.copytree(ROOT / "site_config", tmp_path / "site_config")
    site = tmp_path / "site_config" / "site.yaml"
    site.write_text(
        site.read_text(encoding="utf-8").replace(
            "code_lists: {}", "code_lists:\n  industry:\n    livestreaming: 直播电商"
        ),
        encoding="utf-8",
    )
    done = CliRunner().invoke(cli, ["--project", str(tmp_path), "schema"])
    assert done.exit_code == 0, done.output
    org = json.loads((tmp_path / SCHEMA_DIR / "org.schema.json").read_text(encoding="utf-8"))
    industry = org["definitions"]["record"]["properties"]["industry"]
    assert (
        industry["enum"][-1] == "livestreaming" and industry["enumDescriptions"][-1] == "直播电商"
    )


def test_vscode_maps_every_data_file_to_its_schema():
    settings = json.loads((ROOT / ".vscode" / "settings.json").read_text(encoding="utf-8"))
    mapping = settings["yaml.schemas"]
    assert mapping == {f"./{SCHEMA_DIR.as_posix()}/{n}": g for n, g in file_globs().items()}
    for schema in mapping:
        assert (ROOT / schema).is_file(), schema
    for path in sorted((ROOT / "data").rglob("*.yaml")):
        relative = path.relative_to(ROOT).as_posix()
        matching = [
            s for s, globs in mapping.items() if any(fnmatch.fnmatch(relative, g) for g in globs)
        ]
        assert len(matching) == 1, relative
    extensions = json.loads((ROOT / ".vscode" / "extensions.json").read_text(encoding="utf-8"))
    assert "redhat.vscode-yaml" in extensions["recommendations"]
