"""``sitegen schema``: JSON Schema of every record kind, for editors.

Derived from the models (``model_json_schema``), with the Chinese title and description of each
field, the code lists of ``site_config`` (standard + site additions) as enums with their Chinese
labels, and one property per output or figure code. Editors with the YAML language server
(VS Code's YAML extension) use them through ``.vscode/settings.json`` to validate the data files
as they are typed and to complete field names and codes. They are written to
``site_config/schemas/``; a test keeps the committed files equal to this output.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from generator.compute.metrics import METRICS_BY_NAME
from generator.fields import code_fields
from generator.kinds import FOLDERS, KIND_LABELS, KINDS
from generator.load.config import CODE_LIST_LABELS, CodeLists, SiteConfig
from generator.models import County
from generator.values import CHOICE_LABELS

DRAFT = "http://json-schema.org/draft-07/schema#"
DATE_PATTERN = r"^\d{4}-\d{2}-\d{2}$"
SCHEMA_DIR = Path("site_config") / "schemas"


def schema_files(codes: CodeLists) -> dict[str, dict[str, Any]]:
    """File name -> schema, for every record kind, county.yaml and the site configuration."""
    files = {"county.schema.json": _document(_record(County, "county", codes), "county")}
    for kind, model in KINDS.items():
        record = _record(model, kind, codes)
        files[f"{kind}.schema.json"] = _record_file(record, kind)
    site = _record(SiteConfig, "site", codes)
    site["title"] = "网站配置（site_config/site.yaml）"
    files["site.schema.json"] = _document(site, "site")
    code_lists = _record(CodeLists, "code_lists", codes)
    code_lists["title"] = "代码表（site_config/code_lists.yaml）"
    files["code_lists.schema.json"] = _document(code_lists, "code_lists")
    return files


def file_globs() -> dict[str, list[str]]:
    """Schema file -> the data files it describes (``yaml.schemas`` of .vscode/settings.json)."""
    globs = {"county.schema.json": ["data/*/county.yaml"]}
    for kind, folder in FOLDERS.items():
        globs[f"{kind}.schema.json"] = [f"data/*/{folder}/*.yaml", f"data/*/{folder}/*.yml"]
    globs["site.schema.json"] = ["site_config/site.yaml"]
    globs["code_lists.schema.json"] = ["site_config/code_lists.yaml"]
    return globs


def render(schema: dict[str, Any]) -> str:
    return json.dumps(schema, ensure_ascii=False, indent=2) + "\n"


def _document(record: dict[str, Any], name: str) -> dict[str, Any]:
    return {"$schema": DRAFT, "$id": f"{name}.schema.json", **record}


def _record_file(record: dict[str, Any], kind: str) -> dict[str, Any]:
    """One record (``id`` may be left out: it is the file name) or a list of records with ids."""
    one = copy.deepcopy(record)
    one["required"] = [name for name in one.get("required", []) if name != "id"]
    title = f"{KIND_LABELS[kind]}：data/<县>/{FOLDERS[kind]}/*.yaml"
    return {
        "$schema": DRAFT,
        "$id": f"{kind}.schema.json",
        "title": title,
        "description": "一个文件放一条记录（可省略 id，默认取文件名），或放多条记录的列表（每条都要写 id）。",
        "definitions": {"record": one},
        "anyOf": [
            {"$ref": "#/definitions/record"},
            {
                "type": "array",
                "items": {"allOf": [{"$ref": "#/definitions/record"}, {"required": ["id"]}]},
            },
        ],
    }


def _record(model: type[BaseModel], kind: str, codes: CodeLists) -> dict[str, Any]:
    schema = model.model_json_schema()
    schema = _inline(schema, schema.pop("$defs", {}))
    schema["title"] = KIND_LABELS.get(kind, kind)
    doc = (model.__doc__ or "").strip().splitlines()
    if doc:
        schema["description"] = doc[0].replace("``", "")
    properties = schema.get("properties", {})
    code_lists = code_fields(model)
    for name, prop in properties.items():
        code_list = code_lists.get(name)
        if code_list is not None:
            _add_codes(prop, getattr(codes, code_list), CODE_LIST_LABELS[code_list][0])
    if "targets" in properties:  # metric name -> target: the names are the metrics'
        metrics = [m for m in METRICS_BY_NAME.values() if not m.is_breakdown]
        properties["targets"]["propertyNames"] = {
            "enum": [m.name for m in metrics],
            "enumDescriptions": [m.label for m in metrics],
        }
    if "division_code" in properties:
        properties["division_code"]["anyOf"][0]["pattern"] = r"^\d{6}$"
    _annotate(schema)
    return schema


def _inline(node: Any, defs: dict[str, Any]) -> Any:
    """Replace ``$ref``s to ``$defs`` by their content: one flat schema per file."""
    if isinstance(node, dict):
        if "$ref" in node:
            target = dict(defs[node["$ref"].rsplit("/", 1)[-1]])
            target.pop("title", None)  # the model's class name; the field has its own title
            rest = {k: v for k, v in node.items() if k != "$ref"}
            return {**_inline(copy.deepcopy(target), defs), **rest}
        return {k: _inline(v, defs) for k, v in node.items()}
    if isinstance(node, list):
        return [_inline(v, defs) for v in node]
    return node


def _annotate(node: Any) -> None:
    """Chinese labels of fixed choices, date patterns, descriptions led by the field's title."""
    if isinstance(node, list):
        for item in node:
            _annotate(item)
        return
    if not isinstance(node, dict):
        return
    if "enum" in node and "enumDescriptions" not in node:
        node["enumDescriptions"] = [CHOICE_LABELS.get(v, v) for v in node["enum"]]
    if node.get("format") == "date":
        node["pattern"] = DATE_PATTERN
    if node.get("default", 0) is None:
        del node["default"]
    for name, prop in node.get("properties", {}).items():
        if isinstance(prop, dict) and "title" in prop:
            title, description = prop["title"], prop.get("description")
            prop["description"] = f"{title}（{name}）" + (f"：{description}" if description else "")
    for key, value in node.items():
        if key not in ("enum", "enumDescriptions", "required"):
            _annotate(value)


def _add_codes(prop: dict[str, Any], codes: dict[str, str], list_label: str) -> None:
    listed = "、".join(f"{code} {label}" for code, label in codes.items())
    if prop.get("type") == "object":  # code -> count: one property per code
        count = prop.pop("additionalProperties")
        prop["properties"] = {code: {**count, "title": label} for code, label in codes.items()}
        prop["additionalProperties"] = False
        prop["propertyNames"] = {"enum": list(codes), "enumDescriptions": list(codes.values())}
    else:
        prop["enum"] = list(codes)
        prop["enumDescriptions"] = list(codes.values())
    prop["description"] = f"{prop.get('description', list_label)}。可选{list_label}：{listed}"
