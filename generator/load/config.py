"""Site configuration: ``site_config/site.yaml`` and the code lists in ``site_config/code_lists.yaml``.

Both are read with the same located loader as the data, so a mistake in them is reported
with its line like any other, never replaced by a default in silence.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from generator.defaults import DEFAULTS
from generator.diagnostics import Location, Report
from generator.load.ledger import RecordSource
from generator.load.loader import display_path, read_file
from generator.load.schema_errors import report_validation_error
from generator.models import Target
from generator.values import Text

CODE_LISTS = ("industry", "activity_type", "output", "figure")
CODE_LIST_LABELS = {
    "industry": ("行业", "industry"),
    "activity_type": ("活动类型", "activity type"),
    "output": ("成果代码", "output code"),
    "figure": ("阵地数据代码", "service-center figure code"),
}


class CodeLists(BaseModel):
    """Code -> Chinese label, per list. Sites may add entries, never remove the standard ones."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    industry: dict[str, Text] = Field(default_factory=dict, title="行业")
    activity_type: dict[str, Text] = Field(default_factory=dict, title="活动类型")
    output: dict[str, Text] = Field(default_factory=dict, title="成果")
    figure: dict[str, Text] = Field(default_factory=dict, title="阵地数据")

    def label(self, code_list: str, code: str) -> str:
        return getattr(self, code_list).get(code, code)


class Privacy(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    allowed_numbers: list[Text] = Field(
        default_factory=list,
        title="允许公布的号码",
        description="公开的服务热线等；其他手机号码和身份证号一律不得公布",
    )


class Reporting(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    tag_pattern: Text = Field(
        "report-*",
        title="报告期标签",
        description="git 标签的匹配模式；“本期变化”默认与最新的匹配标签对比",
    )


class BriefConfig(BaseModel):
    """How the period brief (sitegen brief) is signed and addressed."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    issuer: Text | None = Field(
        None, title="发文机关署名", description="如 中共蒲县县委组织部；写在成文日期之上"
    )
    doc_number: Text | None = Field(None, title="发文字号", description="如 蒲组字〔2026〕12号")
    recipient: Text | None = Field(None, title="主送机关", description="如 中共临汾市委组织部")
    title: Text | None = Field(
        None, title="标题", description="默认：关于新兴领域“两个覆盖”工作进展情况的报告"
    )


# The org fields a ledger may be required to fill in (the others are required by the standard).
OPTIONAL_ORG_FIELDS = (
    "grid",
    "status",
    "employees",
    "party_members",
    "visited_on",
    "instructors",
    "six_clears",
)


class Followups(BaseModel):
    """Thresholds of the follow-up rules (台账体检; see generator.followups)."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    visit_months: int = Field(
        6,
        ge=1,
        title="走访周期（月）",
        description="在册组织超过这么多个自然月没有实地核查即为超期",
    )
    need_days: int = Field(
        30, ge=1, title="诉求办理时限（天）", description="未解决的诉求提出超过这么多天即为超期"
    )
    stale_months: int = Field(
        12,
        ge=1,
        title="台账更新周期（月）",
        description="组织台账文件最后一次提交早于数据日期这么多个自然月即为久未更新",
    )
    required_fields: list[str] = Field(
        default_factory=lambda: ["employees", "party_members", "grid"],
        title="台账必填项",
        description="在册组织缺少其中任一项即为台账缺项；可选：" + "、".join(OPTIONAL_ORG_FIELDS),
    )


class SiteConfig(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    title: Text = Field(title="网站标题")
    description: Text | None = Field(None, title="网站说明")
    language: str = Field("zh", title="提示信息语言", description="zh 或 en")
    sample_data: bool = Field(False, title="样例数据", description="true 时每页提示数据为虚构样例")
    targets: dict[str, Target] = Field(default_factory=dict, title="全站目标")
    code_lists: CodeLists = Field(default_factory=CodeLists, title="新增代码表条目")
    privacy: Privacy = Field(default_factory=Privacy, title="隐私保护")
    reporting: Reporting = Field(default_factory=Reporting, title="报告期")
    brief: BriefConfig = Field(default_factory=BriefConfig, title="进展简报（sitegen brief）")
    followups: Followups = Field(default_factory=Followups, title="台账体检规则")
    timezone: str = Field(
        "Asia/Shanghai",
        title="时区",
        description="页面上时间所用的时区（IANA 名称），默认 Asia/Shanghai（北京时间）",
    )
    edit_url: str | None = Field(
        None,
        title="在线编辑地址",
        description="台账文件的在线编辑链接模板，{path} 为仓库中的文件路径，{line} 为行号，"
        "例如 https://git.example.org/zzb/ledger/-/edit/main/{path}#L{line}",
    )

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        from generator.load.gitinfo import zone

        zone(value)  # raises ValueError with the zone's name
        return value


class Settings(BaseModel):
    """The loaded configuration with code lists merged (standard + site additions)."""

    site: SiteConfig
    codes: CodeLists
    source: RecordSource | None = None

    model_config = ConfigDict(arbitrary_types_allowed=True)


def _config_file(config_dir: Path, name: str) -> Path:
    """A site_config file, from the packaged defaults when the project's folder lacks it (a
    county's repository usually holds only site.yaml)."""
    own = config_dir / name
    return own if own.exists() else DEFAULTS / "site_config" / name


def load_settings(config_dir: Path, report: Report) -> Settings | None:
    codes = _load_model(_config_file(config_dir, "code_lists.yaml"), CodeLists, report)
    loaded = _load_model(_config_file(config_dir, "site.yaml"), SiteConfig, report)
    if codes is None or loaded is None:
        return None
    (standard, _), (site, source) = codes, loaded
    merged = {}
    for name in CODE_LISTS:
        base = dict(getattr(standard, name))
        for code, label in getattr(site.code_lists, name).items():
            if code in base and base[code] != label:
                report.error(
                    source.key_at("code_lists", name, code),
                    "invalid-value",
                    field=f"code_lists.{name}.{code}",
                    detail=f"标准代码不能改名（标准名称：{base[code]}）",
                )
            base[code] = label
        merged[name] = base
    if site.language not in ("zh", "en"):
        report.error(
            source.at("language"),
            "invalid-choice",
            field="language",
            value=site.language,
            allowed="zh、en",
        )
    _check_followups(site, source, report)
    return Settings(site=site, codes=CodeLists(**merged), source=source)


def _check_followups(site: SiteConfig, source: RecordSource, report: Report) -> None:
    """Required fields must be org fields; the edit link a web address with {path}."""
    for index, name in enumerate(site.followups.required_fields):
        if name not in OPTIONAL_ORG_FIELDS:
            report.error(
                source.at("followups", "required_fields", index),
                "invalid-choice",
                field="followups.required_fields",
                value=name,
                allowed="、".join(OPTIONAL_ORG_FIELDS),
            )
    url = site.edit_url
    if url is None:
        return
    try:
        url.format(path="x", line=1)
        formats = True
    except (KeyError, IndexError, ValueError):
        formats = False
    if not (url.startswith(("https://", "http://")) and "{path}" in url and formats):
        report.error(
            source.at("edit_url"),
            "invalid-value",
            field="edit_url",
            detail="应以 http:// 或 https:// 开头、含 {path}（可含 {line}），不能有其他花括号，"
            "例如 https://git.example.org/zzb/ledger/-/edit/main/{path}#L{line}",
        )


def _load_model(path: Path, model: type[BaseModel], report: Report):
    if not path.is_file():
        report.error(
            Location(display_path(path)), "file-unreadable", reason="文件不存在 / file not found"
        )
        return None
    display, parsed = read_file(path, report)
    if parsed is None:
        return None
    source = RecordSource(display, parsed)
    if not isinstance(parsed.value, dict):
        report.error(
            Location(display, 1, 1), "top-level-type", found=("其他内容", "something else")
        )
        return None
    try:
        return model.model_validate(parsed.value), source
    except ValidationError as exc:
        report_validation_error(exc, model, source, report)
        return None
