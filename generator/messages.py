"""The text of every diagnostic, in Chinese (default) and English.

Codes are stable and documented; texts may improve. Each text says what is wrong and,
after "——" / " - ", how to fix it, because the reader is a county clerk in a text editor.
"""

from __future__ import annotations

LANGUAGES = ("zh", "en")

MESSAGES: dict[str, tuple[str, str]] = {
    # --- files ---------------------------------------------------------------------------
    "file-unreadable": (
        "无法读取文件：{reason}",
        "cannot read the file: {reason}",
    ),
    "file-too-large": (
        "文件有 {size} 字节，超过上限 {limit} 字节——请把记录拆分到多个文件",
        "the file has {size} bytes, more than the limit of {limit} - split the records over several files",
    ),
    "file-binary": (
        "这不是文本文件（含有二进制内容）——台账文件必须是 UTF-8 文本的 .yaml 文件",
        "this is not a text file (binary content) - ledger files must be UTF-8 text .yaml files",
    ),
    "file-not-utf8": (
        "文件不是 UTF-8 编码{guess}——请用编辑器“另存为”UTF-8 编码（记事本：编码选 UTF-8；WPS/VS Code：右下角编码改为 UTF-8）",
        "the file is not UTF-8 encoded{guess} - re-save it as UTF-8 in your editor",
    ),
    "file-empty": (
        "文件是空的——请填写记录，或删除这个文件",
        "the file is empty - add a record or delete the file",
    ),
    "missing-county-file": (
        "县级文件夹缺少 county.yaml——请新建该文件并至少填写 name（县名）",
        "the county folder has no county.yaml - create it with at least `name`",
    ),
    "stray-file": (
        "不认识的文件或文件夹，未读取——台账只放在 county.yaml 和 {folders} 这些文件夹里，扩展名为 .yaml",
        "unexpected file or folder, not read - records live in county.yaml and the folders {folders}, as .yaml files",
    ),
    "no-counties": (
        "数据文件夹里没有任何县的文件夹——每个县一个文件夹，例如 data/puxian/county.yaml",
        "the data folder holds no county folder - one folder per county, e.g. data/puxian/county.yaml",
    ),
    "invalid-county-folder": (
        "县文件夹名 “{name}” 不符合要求——只能用小写字母、数字和连字符（-），例如 puxian",
        "county folder name “{name}” is not valid - use lowercase letters, digits and hyphens, e.g. puxian",
    ),
    # --- YAML ------------------------------------------------------------------------------
    "yaml-syntax": (
        "YAML 格式错误：{problem}——请检查这一行的缩进、冒号和引号",
        "YAML syntax error: {problem} - check indentation, colons and quotes on this line",
    ),
    "yaml-tab": (
        "缩进里有制表符（Tab）——YAML 只能用空格缩进，请把 Tab 换成两个空格",
        "a tab character in the indentation - YAML indents with spaces only, replace the tab with two spaces",
    ),
    "yaml-duplicate-key": (
        "字段 “{key}” 在同一条记录里写了两次（第一次在第 {first_line} 行）——只保留一个，否则前一个值会丢失",
        "the field “{key}” appears twice in one record (first on line {first_line}) - keep one, otherwise a value is lost",
    ),
    "yaml-ambiguous-number": (
        "“{text}” 没有加引号，YAML 会把它读成数字 {value}——如果是文字或编号，请写成 '{text}'",
        "“{text}” is unquoted and YAML reads it as the number {value} - if it is text or a code, write '{text}'",
    ),
    "yaml-boolean-word": (
        "“{text}” 没有加引号，YAML 会把它读成真假值 {value}——请加引号写成 '{text}'，或改用规定的取值",
        "“{text}” is unquoted and YAML reads it as the boolean {value} - quote it as '{text}' or use an allowed value",
    ),
    "yaml-not-finite": (
        "“{text}” 不是有限的数——请填写具体数字",
        "“{text}” is not a finite number - write a number",
    ),
    "yaml-invalid-date": (
        "日期 “{text}” 不存在——请检查年月日，例如 2025-02-28",
        "the date “{text}” does not exist - check year, month and day, e.g. 2025-02-28",
    ),
    "yaml-tag": (
        "不支持 YAML 标签 “{tag}”——请删除它，直接写值",
        "the YAML tag “{tag}” is not supported - remove it and write the plain value",
    ),
    "yaml-too-complex": (
        "文件展开后超过 {limit} 个值（可能是锚点/别名 & * 嵌套过多）——请直接写出记录，不要用别名",
        "the file expands to more than {limit} values (nested anchors/aliases) - write the records out without aliases",
    ),
    "yaml-key-type": (
        "字段名 “{key}” 必须是文字",
        "the field name “{key}” must be text",
    ),
    "top-level-type": (
        "文件顶层必须是一条记录（字段: 值）或记录列表（- 开头），这里是{found}",
        "the top level must be one record (field: value) or a list of records (- items), found {found}",
    ),
    "list-item-type": (
        "列表里的每一项都必须是一条记录（字段: 值），这里是{found}",
        "every list item must be a record (field: value), found {found}",
    ),
    # --- fields ------------------------------------------------------------------------------
    "missing-field": (
        "缺少必填字段 “{field}”（{label}）",
        "the required field “{field}” ({label}) is missing",
    ),
    "empty-field": (
        "字段 “{field}” 不能为空",
        "the field “{field}” must not be empty",
    ),
    "unknown-field": (
        "未知字段 “{field}”{suggestion}——数据标准 v1 的字段见 {standard}",
        "unknown field “{field}”{suggestion} - the fields of data standard v1 are listed in {standard}",
    ),
    "wrong-type": (
        "字段 “{field}” 应为{expected}，这里是{found}",
        "the field “{field}” must be {expected}, found {found}",
    ),
    "negative-count": (
        "字段 “{field}” 是人数或个数，不能是负数（这里是 {value}）",
        "the field “{field}” is a count and cannot be negative (found {value})",
    ),
    "invalid-id": (
        "编号 “{value}” 不符合要求——只能用小写字母、数字和连字符（-），且以字母或数字开头，例如 px-kd-001",
        "the id “{value}” is not valid - use lowercase letters, digits and hyphens, starting with a letter or digit, e.g. px-kd-001",
    ),
    "invalid-date": (
        "字段 “{field}” 的日期 “{value}” 格式不对——请写成 年-月-日，例如 2025-06-12",
        "the date “{value}” in “{field}” is not an ISO date - write it as 2025-06-12",
    ),
    "invalid-choice": (
        "字段 “{field}” 的值 “{value}” 不在允许范围内——可选：{allowed}",
        "the value “{value}” of “{field}” is not allowed - choose one of: {allowed}",
    ),
    "unknown-code": (
        "{codelist} “{value}” 不在代码表中——可选：{allowed}（如需新增，请在 site_config/site.yaml 的 code_lists 里添加）",
        "{codelist} “{value}” is not in the code list - choose one of: {allowed} (add new entries under code_lists in site_config/site.yaml)",
    ),
    "list-too-short": (
        "字段 “{field}” 至少要列出 {minimum} 项",
        "the field “{field}” must list at least {minimum} item(s)",
    ),
    "invalid-value": (
        "字段 “{field}” 的值不符合要求：{detail}",
        "the value of “{field}” is not valid: {detail}",
    ),
    "invalid-division-code": (
        "行政区划代码 “{value}” 必须是 6 位数字，并加引号，例如 '141033'",
        "the division code “{value}” must be 6 digits, quoted, e.g. '141033'",
    ),
    # --- records ---------------------------------------------------------------------------
    "missing-id": (
        "列表里的记录必须写编号 id——一个文件放多条记录时，每条都要有 id",
        "records in a list need an `id` - every record of a multi-record file must have one",
    ),
    "duplicate-id": (
        "{kind}编号 “{id}” 重复，已在 {other} 使用——同一个县内编号不能重复",
        "the {kind} id “{id}” is already used at {other} - ids must be unique within a county",
    ),
    "county-id-mismatch": (
        "id “{value}” 与所在文件夹名 “{folder}” 不一致——删除 id 或改成 {folder}",
        "the id “{value}” differs from the folder name “{folder}” - remove `id` or set it to {folder}",
    ),
    "unknown-reference": (
        "{target}编号 “{value}” 不存在——请检查拼写，或先建立 data/{county}/{folder}/{value}.yaml",
        "there is no {target} with id “{value}” - check the spelling or create data/{county}/{folder}/{value}.yaml",
    ),
    "mixed-party-org-kind": (
        "党组织同时覆盖新经济组织和新社会组织（{orgs}）——请填写 kind（economic 或 social）说明它属于哪一类",
        "the party organization covers both economic and social organizations ({orgs}) - set `kind` (economic or social)",
    ),
    "resolved-on-required": (
        "状态为已解决（resolved）时必须填写解决日期 resolved_on",
        "`resolved_on` is required when the status is resolved",
    ),
    "resolved-on-not-allowed": (
        "状态不是已解决时不能填写 resolved_on——请删除它，或把 status 改为 resolved",
        "`resolved_on` is only allowed when the status is resolved - remove it or set status to resolved",
    ),
    "resolved-before-raised": (
        "解决日期 {resolved_on} 早于提出日期 {raised_on}",
        "resolved_on {resolved_on} is before raised_on {raised_on}",
    ),
    "date-in-future": (
        "日期 {value} 晚于今天（{today}）——请确认是否填错",
        "the date {value} is after today ({today}) - check it",
    ),
    "members-exceed-employees": (
        "党员人数 {party_members} 多于从业人员 {employees}——请核对",
        "{party_members} party members but only {employees} employees - please check",
    ),
    "covers-only-closed": (
        "这个党组织覆盖的组织都已注销（closed）——请核对它是否仍然存在",
        "every organization this party organization covers is closed - check that it still exists",
    ),
    "unknown-metric": (
        "目标指标 “{value}” 不存在{suggestion}——可用指标见方法说明页",
        "there is no metric “{value}”{suggestion} - the metrics are listed on the methodology page",
    ),
    "rate-out-of-range": (
        "比率类目标 “{metric}” 的值应在 0 到 1 之间（例如 0.6 表示 60%），这里是 {value}",
        "the target for the rate “{metric}” must be between 0 and 1 (0.6 means 60%), found {value}",
    ),
    "unsafe-markdown": (
        "文字里含有不允许的内容 “{snippet}”——说明文字只能用 Markdown，不能写 HTML 标签或脚本链接",
        "the text contains “{snippet}”, which is not allowed - use plain Markdown, no HTML tags or script links",
    ),
    # --- privacy -----------------------------------------------------------------------------
    "personal-id-number": (
        "这里有一个居民身份证号（{masked}）——网站不能公布个人身份信息，请删除",
        "a resident ID number ({masked}) - personal identifiers must not be published, remove it",
    ),
    "mobile-number": (
        "这里有一个手机号码（{masked}）——网站不能公布个人联系方式，请删除；公开的服务热线可在 site_config/site.yaml 的 privacy.allowed_numbers 中列出",
        "a mobile number ({masked}) - personal contacts must not be published; list public hotlines under privacy.allowed_numbers in site_config/site.yaml",
    ),
    # --- content (cases) -------------------------------------------------------------------
    "case-front-matter": (
        "案例文件开头的信息块（--- 之间）有误：{detail}",
        "the case's front matter (between ---) is not valid: {detail}",
    ),
    "case-county-missing": (
        "案例所属县 “{value}” 不在本次的数据中，该案例本次不发布——可用的县：{allowed}",
        "the case's county “{value}” is not in this data folder; the case is left out - available: {allowed}",
    ),
    "unknown-county": (
        "县编号 “{value}” 不存在——可用：{allowed}",
        "there is no county “{value}” - available: {allowed}",
    ),
}

KIND_LABELS_ZH = {
    "county": "县",
    "grid": "网格",
    "org": "组织（一企一档）",
    "party_org": "党组织",
    "activity": "活动",
    "need": "诉求",
    "service_center": "党群服务中心",
}

TYPE_NAMES = {
    "text": ("文字", "text"),
    "count": ("非负整数", "a whole number"),
    "number": ("数字", "a number"),
    "date": ("日期（如 2025-06-12）", "a date (e.g. 2025-06-12)"),
    "list": ("列表（- 开头的若干项）", "a list (- items)"),
    "mapping": ("若干“名称: 值”", "a mapping (name: value)"),
    "boolean": ("真假值", "a boolean"),
    "null": ("空值", "an empty value"),
}


def type_name(kind: str, lang: str) -> str:
    zh, en = TYPE_NAMES.get(kind, (kind, kind))
    return zh if lang == "zh" else en


def render_message(code: str, params: dict[str, object], lang: str = "zh") -> str:
    """The message text for ``code`` in ``lang``; params that are (zh, en) pairs are localized."""
    zh, en = MESSAGES[code]
    template = zh if lang == "zh" else en
    values = {}
    for key, value in params.items():
        if isinstance(value, tuple) and len(value) == 2 and all(isinstance(v, str) for v in value):
            value = value[0] if lang == "zh" else value[1]
        values[key] = value
    return template.format(**values)
