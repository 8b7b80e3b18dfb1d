"""The message catalog: the text of every diagnostic, in Chinese (default) and English, and
(from :mod:`generator.texts`) of everything the commands print.

Codes are stable and documented; texts may improve. Each text says what is wrong and,
after "——" / " - ", how to fix it, because the reader is a county clerk in a text editor.
Every "did you mean" and every list of allowed values is made by :func:`look_alikes`.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping

from generator.texts import TEXTS, YAML_PROBLEMS

LANGUAGES = ("zh", "en")

MESSAGES: dict[str, tuple[str, str]] = {
    # --- files ---------------------------------------------------------------------------
    "file-unreadable": (
        "无法读取这个文件或文件夹：{reason}——请检查它是否存在、是否有读取权限",
        "cannot read this file or folder: {reason} - check that it exists and may be read",
    ),
    "file-too-large": (
        "文件有 {size}，超过上限 {limit}——请把记录拆分到多个文件（每个文件可以只放一条记录）",
        "the file has {size}, more than the limit of {limit} - split the records over several files",
    ),
    "file-binary": (
        "这不是文本文件（含有二进制内容）——台账文件必须是 UTF-8 文本的 .yaml 文件",
        "this is not a text file (binary content) - ledger files must be UTF-8 text .yaml files",
    ),
    "file-not-utf8": (
        "文件不是 UTF-8 编码{guess}——请用编辑器重新保存为 UTF-8 编码（记事本：“另存为”时编码选 UTF-8；VS Code：点右下角的编码，选“通过编码保存”再选 UTF-8）",
        "the file is not UTF-8 encoded{guess} - re-save it as UTF-8 (Notepad: Save As, Encoding UTF-8; VS Code: click the encoding at the bottom right, Save with Encoding, UTF-8)",
    ),
    "symlink-refused": (
        "这是一个符号链接（快捷方式），不会被读取——台账文件必须是数据文件夹里真实的文件，请把文件本身复制到这里",
        "this is a symbolic link and is not read - ledger files must be real files inside the data folder; copy the file itself here",
    ),
    "file-empty": (
        "文件是空的——请填写记录，或删除这个文件",
        "the file is empty - add a record or delete the file",
    ),
    "record-not-loaded": (
        "这里的台账不会被读取（扩展名、文件名里的空格或子文件夹不对）——请把它改放为 {expected}（文件夹名见：grids、orgs、party_orgs、activities、needs、service_centers）",
        "these records are not read (extension, a space in the name, or a subfolder) - move it to {expected} (folders: grids, orgs, party_orgs, activities, needs, service_centers)",
    ),
    "record-folder-is-file": (
        "这应该是一个放台账的文件夹，却是一个文件，其中的记录一条也不会被读取——请删除它，新建同名文件夹，把每条记录放进去",
        "this should be a folder of records but is a file: none of its records are read - delete it, create a folder of that name and put the records in it",
    ),
    "missing-county-file": (
        "县级文件夹缺少 county.yaml——请新建该文件并至少填写 name（县名）",
        "the county folder has no county.yaml - create it with at least `name`",
    ),
    "stray-data-file": (
        "数据文件夹顶层的台账文件不会被读取——记录要放进县文件夹，例如 data/puxian/orgs/ 里",
        "a ledger file at the top of the data folder is not read - records belong in a county folder, e.g. data/puxian/orgs/",
    ),
    "stray-file": (
        "不认识的文件或文件夹，未读取{suggestion}——台账只放在 county.yaml 和 {folders} 这些文件夹里，扩展名为 .yaml",
        "unexpected file or folder, not read{suggestion} - records live in county.yaml and the folders {folders}, as .yaml files",
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
        "YAML 格式错误：{problem}",
        "YAML syntax error: {problem}",
    ),
    "yaml-fullwidth-colon": (
        "字段名后面用了中文冒号“：”——请改成英文冒号加一个空格，例如 name: 蒲县",
        "a full-width colon “：” after the field name - use an ASCII colon and a space, e.g. name: value",
    ),
    "yaml-control-character": (
        "这里有一个看不见的控制字符（{char}）——请删除它（常见于从网页、Word 或聊天软件复制来的文字）",
        "an invisible control character ({char}) - delete it (it often comes with text copied from web pages or chat apps)",
    ),
    "yaml-too-deep": (
        "嵌套超过 {limit} 层（括号 [ ] {{ }} 或“- ”套得太深，或锚点别名引用了自己）——台账记录最多三四层，请检查括号和缩进",
        "nested more than {limit} levels deep ([ ] {{ }} or '- ' nested too far, or an alias that refers to itself) - records need three or four levels at most",
    ),
    "yaml-merge-key": (
        "不支持 YAML 合并键“<<”——请把要合并的字段直接写进这条记录",
        "the YAML merge key “<<” is not supported - write the fields into the record itself",
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
    "yaml-tag-value": (
        "“{text}” 不是 YAML 标签 {tag} 能表示的值——请删除 {tag}，直接写值（真假值写 true 或 false，日期写 2025-06-12，数字直接写数字）",
        "“{text}” is not a value the YAML tag {tag} can hold - delete {tag} and write the value (true or false, a date as 2025-06-12, a number as digits)",
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
        "缺少必填字段 “{field}”{label}——请在这条记录里加上一行 {field}: …",
        "the required field “{field}” is missing - add a line {field}: … to this record",
    ),
    "empty-field": (
        "字段 “{field}”{label}是空的{how}",
        "the field “{field}” is empty{how}",
    ),
    "unknown-field": (
        "未知字段 “{field}”{suggestion}——这里可以写的字段：{allowed}",
        "unknown field “{field}”{suggestion} - the fields allowed here: {allowed}",
    ),
    "wrong-type": (
        "字段 “{field}” 应为{expected}，这里是{found}{hint}",
        "the field “{field}” must be {expected}, found {found}{hint}",
    ),
    "negative-count": (
        "字段 “{field}” 是人数或个数，不能是负数（这里是 {value}）",
        "the field “{field}” is a count and cannot be negative (found {value})",
    ),
    "invalid-file-name": (
        "文件名 “{value}” 不能当作编号（文件里没写 id 时，编号取自文件名）——请把文件改名为小写字母、数字和连字符，例如 px-kd-001.yaml，或在文件里写上 id",
        "the file name “{value}” cannot serve as the id (a record without `id` takes its file name) - rename the file with lowercase letters, digits and hyphens, e.g. px-kd-001.yaml, or add an `id`",
    ),
    "invalid-id": (
        "编号 “{value}” 不符合要求——只能用小写字母、数字和连字符（-），且以字母或数字开头，例如 px-kd-001",
        "the id “{value}” is not valid - use lowercase letters, digits and hyphens, starting with a letter or digit, e.g. px-kd-001",
    ),
    "invalid-date": (
        "字段 “{field}” 的日期 “{value}” 格式不对——请写成 年-月-日，例如 2025-06-12",
        "the date “{value}” in “{field}” is not an ISO date - write it as 2025-06-12",
    ),
    "date-year": (
        "字段 “{field}” 的日期 “{value}” 年份不合理——请检查年份（台账日期应在 {low} 年到 {high} 年之间），例如 2025-06-12",
        "the date “{value}” in “{field}” has an implausible year - check the year (ledger dates lie between {low} and {high}), e.g. 2025-06-12",
    ),
    "invalid-choice": (
        "字段 “{field}” 的值 “{value}” 不在允许范围内——可选：{allowed}",
        "the value “{value}” of “{field}” is not allowed - choose one of: {allowed}",
    ),
    "unknown-code": (
        "{codelist} “{value}” 不在代码表中{suggestion}——可选：{allowed}（如需新增，请在 site_config/site.yaml 的 code_lists 里添加）",
        "{codelist} “{value}” is not in the code list{suggestion} - choose one of: {allowed} (add new entries under code_lists in site_config/site.yaml)",
    ),
    "list-too-short": (
        "字段 “{field}” 至少要列出 {minimum} 项——请在方括号里写上编号，例如 {field}: [px-kd-001]",
        "the field “{field}” must list at least {minimum} item(s) - write the ids in brackets, e.g. {field}: [px-kd-001]",
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
        "{kind}编号 “{id}” 重复，已在 {other} 使用——同一个县内编号不能重复，请改用别的编号或删除重复的记录",
        "the {kind} id “{id}” is already used at {other} - ids must be unique within a county: change one or remove the duplicate",
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
        "解决日期 {resolved_on} 早于提出日期 {raised_on}——请核对这两个日期",
        "resolved_on {resolved_on} is before raised_on {raised_on} - check both dates",
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
    "target-breakdown-metric": (
        "指标 “{value}” 是按类别分列的明细，不能设目标——请选一个单个数字的指标，例如 activities_total、org_coverage_rate",
        "the metric “{value}” is a breakdown by category and cannot have a target - pick a single-number metric, e.g. activities_total, org_coverage_rate",
    ),
    "rate-out-of-range": (
        "比率类目标 “{metric}” 的值应在 0 到 1 之间（例如 0.6 表示 60%），这里是 {value}",
        "the target for the rate “{metric}” must be between 0 and 1 (0.6 means 60%), found {value}",
    ),
    "unsafe-markdown": (
        "文字里有不允许的 HTML 或脚本内容 “{snippet}”——请删除它；要加链接请用 Markdown 写法 [文字](https://…)",
        "the text contains HTML or script “{snippet}”, which is not allowed - remove it; write links in Markdown: [text](https://…)",
    ),
    "data-link-relative": (
        "台账文字里的链接或图片 “{value}” 不是完整的网址，在网站上打不开——请写成 https://… 的完整网址；网站内的页面和图片请写在案例里",
        "the link or image “{value}” in a data text is not a full address and does not work on the site - write a full https://… address; link site pages and images from a case",
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
    "published-personal-number": (
        "生成的页面里有一个{kind}（{masked}），网站不会发布它——这个号码来自没有经过隐私检查的来源（例如外县报送的数据），请在其来源处删除后再生成",
        "a generated page holds a {kind} ({masked}) and is not published - the number comes from a source the privacy check does not read (such as another county's report); remove it there and build again",
    ),
    "case-image-metadata": (
        "图片 “{value}” 带有附加信息（{found}），可能含拍摄地点、时间或姓名，未发布——请另存为不带这些信息的图片，或改用 .jpg/.png（网站会自动去除这两种图片的附加信息）",
        "the image “{value}” carries metadata ({found}) that may hold a location, a time or a name; not published - save it again without metadata, or use .jpg/.png (the site strips it from those)",
    ),
    # --- content (cases) -------------------------------------------------------------------
    "case-link-file": (
        "链接 “{value}” 指向的文件或页面不在网站里，生成网站会失败——案例里只能链接其他案例（写成 案例编号.md）、本页的小标题（#…）或完整网址（https://…）；附件请放到单位网站上，再用完整网址链接",
        "the link “{value}” points to a file or page that is not on the site, and the build would fail - a case may link to another case (as case-id.md), a heading of its page (#...) or a full address (https://...); put attachments on a website and link their full address",
    ),
    "case-link-case": (
        "链接 “{value}” 指向的案例不存在或不会发布{suggestion}——请写成 content/cases/ 里另一篇案例的文件名，例如 puxian-three-ways.md",
        "the link “{value}” points to a case that does not exist or is not published{suggestion} - write the file name of another case in content/cases/, e.g. puxian-three-ways.md",
    ),
    "case-link-anchor": (
        "链接 “{value}” 指向的位置在{page}上不存在——“#”后面要写页面上某个标题的编号：中文标题按在页面上的顺序编为 _1（页面大标题）、_2、_3……；可用的有：{allowed}",
        "the link “{value}” points to a place that {page} does not have - after “#” write the id of a heading on the page: Chinese headings are numbered in page order _1 (the page title), _2, _3, ...; there are: {allowed}",
    ),
    "case-not-loaded": (
        "这个案例文件不会被发布——案例要直接放在 content/cases/ 里，文件名写成 {expected}（扩展名小写 .md）",
        "this case file is not published - cases go directly into content/cases/, named {expected} (lowercase .md)",
    ),
    "case-front-matter": (
        "案例文件开头的信息块（--- 之间）有误：{detail}",
        "the case's front matter (between ---) is not valid: {detail}",
    ),
    "case-county-missing": (
        "案例所属县 “{value}” 不在本次的数据中，该案例本次不发布——可用的县：{allowed}",
        "the case's county “{value}” is not in this data folder; the case is left out - available: {allowed}",
    ),
    "case-figure-syntax": (
        '“{snippet}” 不是可用的数字引用——花括号里只能写 {{{{ figure("县编号", "指标名") }}}}，例如 {{{{ figure("puxian", "party_orgs_economic") }}}}；可选第三项为网格编号',
        '“{snippet}” is not a figure citation - only {{{{ figure("county", "metric") }}}} may stand between double braces, e.g. {{{{ figure("puxian", "party_orgs_economic") }}}}; an optional third argument names a grid',
    ),
    "case-figure-metric": (
        "没有指标 “{value}”{suggestion}——指标名见“方法说明”页；分类明细写成 outputs.hidden_members_identified 的形式",
        "there is no metric “{value}”{suggestion} - the metrics are listed on the methodology page; a category of a breakdown is written like outputs.hidden_members_identified",
    ),
    "case-figure-breakdown": (
        "“{value}” 是按类别分列的明细，不是一个数——请写出类别，例如 {example}",
        "“{value}” is a breakdown by category, not one number - name the category, e.g. {example}",
    ),
    "case-figure-code": (
        "{metric} 没有类别 “{value}”——可用：{allowed}",
        "{metric} has no category “{value}” - available: {allowed}",
    ),
    # --- sitegen form: the superior's form template -------------------------------------
    "form-placeholder-syntax": (
        "“{snippet}” 不是可用的占位符——花括号里只能写一个数的名字，例如 {{{{ overall.orgs_total }}}}、{{{{ puxian.org_coverage_rate }}}}、每县一行的 {{{{ row.name }}}}，或 {{{{ as_of }}}}、{{{{ revision }}}}",
        "“{snippet}” is not a placeholder - only a figure's name may stand between double braces, e.g. {{{{ overall.orgs_total }}}}, {{{{ puxian.org_coverage_rate }}}}, {{{{ row.name }}}} in a row repeated per county, or {{{{ as_of }}}}, {{{{ revision }}}}",
    ),
    "form-unknown-area": (
        "没有县 “{value}”——可用：overall（合计）、row（每县一行）、{allowed}",
        "there is no county “{value}” - available: overall (the total), row (one row per county), {allowed}",
    ),
    "form-unknown-metric": (
        "没有指标 “{value}”{suggestion}——指标名见“方法说明”页（如 orgs_total、org_coverage_rate），分类明细写成 outputs.people_checked 的形式；另可写 name（名称）、id（编号）和每县一行的 number（序号）",
        "there is no metric “{value}”{suggestion} - the metrics are listed on the methodology page (e.g. orgs_total, org_coverage_rate), a category as outputs.people_checked; name, id and, in a row per county, number may be used too",
    ),
    "case-figure-scope": (
        "指标 “{value}” 只按县计算，没有网格的数——请去掉网格编号",
        "the metric “{value}” is computed per county only, not per grid - remove the grid id",
    ),
    "case-figure-county": (
        "县编号 “{value}” 不存在（本次数据中没有，案例库中也没有这个县的案例）——可用：{allowed}",
        "there is no county “{value}” (neither in this data folder nor among the counties of the case library) - available: {allowed}",
    ),
    "case-figure-county-missing": (
        "本次的数据中没有县 “{value}”，这个数字显示为“—”——用包含该县的数据文件夹生成网站即可显示",
        "the county “{value}” is not in this data folder, so the figure shows as “—” - build with a data folder that holds it",
    ),
    "case-figure-grid": (
        "网格编号 “{value}” 不存在——该县的网格：{allowed}",
        "there is no grid “{value}” in that county - its grids: {allowed}",
    ),
    "case-cover-caption": (
        "有封面图片（cover）就要写图片说明 cover_caption——说明图片拍的是什么，读屏软件也会读出它",
        "a cover image (cover) needs a caption (cover_caption) - say what it shows; screen readers read it out",
    ),
    "case-image-caption": (
        "图片 “{value}” 没有说明——把说明写在方括号里：![说明](images/文件名.jpg)",
        "the image “{value}” has no caption - write it between the brackets: ![caption](images/file.jpg)",
    ),
    "case-image-remote": (
        "图片 “{value}” 来自网络——内网读者打不开网络图片，请把图片文件放进 content/cases/images/ 并写成 images/文件名.jpg",
        "the image “{value}” is on the internet, which intranet readers cannot reach - put the file into content/cases/images/ and write images/file.jpg",
    ),
    "case-image-path": (
        "图片路径 “{value}” 不在 content/cases/images/ 文件夹里——案例图片都放在这个文件夹（可再按县分子文件夹），写成 images/文件名.jpg",
        "the image path “{value}” is outside content/cases/images/ - case images live in that folder (subfolders allowed), written images/file.jpg",
    ),
    "case-image-type": (
        "图片 “{value}” 的格式（{suffix}）不支持——请另存为 .jpg、.png、.gif 或 .webp",
        "the image “{value}” has an unsupported format ({suffix}) - save it as .jpg, .png, .gif or .webp",
    ),
    "case-image-missing": (
        "找不到图片文件 “{value}”——请检查文件名（包括大小写和扩展名），并把文件放进 content/cases/images/",
        "the image file “{value}” does not exist - check the name (case and extension) and put the file into content/cases/images/",
    ),
    "case-image-invalid": (
        "图片文件 “{value}” 打不开，或不是 {suffix} 格式——请用看图软件打开后重新另存",
        "the image file “{value}” cannot be read or is not really {suffix} - open it in an image viewer and save it again",
    ),
    "case-image-large": (
        "图片 “{value}” 偏大（{size}，{pixels} 像素），手机和县里的网络打开会很慢——请缩小到 1 MB、2000 像素以内再放进来",
        "the image “{value}” is large ({size}, {pixels} pixels) and slow to open on phones and county networks - shrink it below 1 MB and 2000 pixels",
    ),
    "bundle-unreadable": (
        "无法读取这个案例包：{reason}——请确认它是 sitegen case export 导出的 .zip 文件，且传输中没有损坏",
        "cannot read the case bundle: {reason} - check that it is a .zip written by sitegen case export and arrived intact",
    ),
    "bundle-too-many": (
        "案例包里有 {count} 个文件，超过上限 {limit}——这不像是一个案例，拒绝导入",
        "the bundle holds {count} files, more than the limit of {limit} - this is not one case; refused",
    ),
    "bundle-unsafe-path": (
        "案例包里的路径 “{value}” 不安全（绝对路径、盘符、.. 或隐藏文件），拒绝导入——请向来源县重新索取案例包",
        "the bundle path “{value}” is unsafe (absolute, a drive, .. or a hidden file); refused - ask the source county for a new bundle",
    ),
    "bundle-symlink": (
        "案例包里的 “{value}” 是符号链接，拒绝导入——案例包只能包含普通文件",
        "“{value}” in the bundle is a symbolic link; refused - a bundle holds plain files only",
    ),
    "bundle-unexpected-file": (
        "案例包里不应有 “{value}”，拒绝导入——案例包只包含 bundle.yaml、case.md 和 images/ 下的图片",
        "“{value}” does not belong in a bundle; refused - a bundle holds bundle.yaml, case.md and images/ only",
    ),
    "bundle-duplicate-entry": (
        "案例包里的 “{value}” 出现了两次，拒绝导入",
        "“{value}” appears twice in the bundle; refused",
    ),
    "bundle-too-large": (
        "{value} 有 {size}，超过上限 {limit}，拒绝导入——图片请先缩小",
        "{value} has {size}, more than the limit of {limit}; refused - shrink the images first",
    ),
    "bundle-missing-file": (
        "案例包缺少 {value}——请向来源县重新索取（sitegen case export 导出的包里都有）",
        "the bundle lacks {value} - ask the source county for a new one (sitegen case export always writes it)",
    ),
    "bundle-meta": (
        "bundle.yaml 应为“字段: 值”的形式",
        "bundle.yaml must be field: value lines",
    ),
    "bundle-checksum": (
        "“{value}” 与 bundle.yaml 记录的校验值不符，或没有登记——案例包可能损坏或被改动过，请向来源县重新索取",
        "“{value}” does not match the checksum in bundle.yaml, or is not listed there - the bundle was damaged or altered; ask for a new one",
    ),
    "bundle-mismatch": (
        "case.md 所属县 “{value}” 与 bundle.yaml 的来源县 “{other}” 不一致——请向来源县重新索取案例包",
        "case.md belongs to the county “{value}” but bundle.yaml names “{other}” - ask the source county for a new bundle",
    ),
    "bundle-figure-missing": (
        "bundle.yaml 中没有这个数字（{value}）导出时的值——请让来源县用 sitegen case export 重新导出",
        "bundle.yaml holds no exported value for this figure ({value}) - ask the source county to export again with sitegen case export",
    ),
    "bundle-figure-value": (
        "bundle.yaml 中这个数字的值 “{value}” 不是一个数，拒绝导入——案例包可能被改动过，请向来源县重新索取",
        "bundle.yaml gives “{value}” for this figure, which is not a number; refused - the bundle may have been altered, ask for a new one",
    ),
    # --- county reports (sitegen report export / import) ---------------------------------
    "report-unreadable": (
        "无法读取这个县级报送包：{reason}——请确认它是 sitegen report export 导出的 .zip 文件，且传输中没有损坏",
        "cannot read the county report: {reason} - check that it is a .zip written by sitegen report export and arrived intact",
    ),
    "report-too-many": (
        "报送包里有 {count} 个文件，超过上限 {limit}——这不是 sitegen 导出的报送包，拒绝导入",
        "the report holds {count} files, more than the limit of {limit} - not a sitegen report; refused",
    ),
    "report-unsafe-path": (
        "报送包里的路径 “{value}” 不安全（绝对路径、盘符、.. 或隐藏文件），拒绝导入——请让该县重新导出",
        "the report path “{value}” is unsafe (absolute, a drive, .. or a hidden file); refused - ask the county to export again",
    ),
    "report-symlink": (
        "报送包里的 “{value}” 是符号链接，拒绝导入——报送包只能包含普通文件",
        "“{value}” in the report is a symbolic link; refused - a report holds plain files only",
    ),
    "report-unexpected-file": (
        "报送包里不应有 “{value}”，拒绝导入——报送包只包含 bundle.yaml、county.json、figures.json 和 changes.json",
        "“{value}” does not belong in a report; refused - a report holds bundle.yaml, county.json, figures.json and changes.json only",
    ),
    "report-duplicate-entry": (
        "报送包里的 “{value}” 出现了两次，拒绝导入",
        "“{value}” appears twice in the report; refused",
    ),
    "report-too-large": (
        "{value} 有 {size}，超过上限 {limit}，拒绝导入——报送包只含数字，不会这么大，可能被改动过",
        "{value} has {size}, more than the limit of {limit}; refused - a report holds figures only and is never this large",
    ),
    "report-missing-file": (
        "报送包缺少 {value}——请让该县用 sitegen report export 重新导出",
        "the report lacks {value} - ask the county to export again with sitegen report export",
    ),
    "report-meta": (
        "bundle.yaml 应为“字段: 值”的形式",
        "bundle.yaml must be field: value lines",
    ),
    "report-checksum": (
        "“{value}” 与 bundle.yaml 记录的校验值不符，或没有登记——报送包可能损坏或被改动过，请让该县重新导出",
        "“{value}” does not match the checksum in bundle.yaml, or is not listed there - the report was damaged or altered; ask for a new one",
    ),
    "report-json": (
        "{value} 不是有效的 JSON：{reason}——报送包可能损坏，请让该县重新导出",
        "{value} is not valid JSON: {reason} - the report may be damaged; ask for a new one",
    ),
    "report-unknown-metric": (
        "未知的指标 “{value}”，拒绝导入——本站的 sitegen 不认识它（可能版本不同），请升级 sitegen 或让该县用相同版本导出",
        "unknown metric “{value}”; refused - this site's sitegen does not know it (another version?); upgrade or ask the county to export with the same version",
    ),
    "report-missing-metric": (
        "缺少指标 “{value}”——报送包不完整，请让该县用相同版本的 sitegen 重新导出",
        "the metric “{value}” is missing - the report is incomplete; ask the county to export again with the same sitegen version",
    ),
    "report-bad-value": (
        "指标 “{value}” 的值不对：{reason}——报送包可能被改动过，请让该县重新导出",
        "the metric “{value}” has a bad value: {reason} - the report may have been altered; ask for a new one",
    ),
    "report-mismatch": (
        "{value}——报送包内容前后不一致，请让该县重新导出",
        "{value} - the report contradicts itself; ask the county to export again",
    ),
    "report-ledger-clash": (
        "县 “{id}” 既有台账文件夹 {folder}，又有报送包——同一个县只能有一种来源：删除其中一个（本县自己维护台账就不必导入报送包）",
        "the county “{id}” has both a ledger folder {folder} and a report - keep one: delete the report or the folder",
    ),
    "report-duplicate": (
        "县 “{id}” 有两个报送包（{other}）——reports/ 下每个县只保留一个，请删除旧的（sitegen report import 会自动替换）",
        "the county “{id}” has two reports ({other}) - keep one per county in reports/ (sitegen report import replaces the older one)",
    ),
    "report-older": (
        "本站已有 {id} 更新的报送（数据截至 {current}），这个报送包的数据截至 {value}，较旧，没有导入",
        "this site already has a newer report of {id} (as of {current}); this one is as of {value} and was not imported",
    ),
    "report-unknown-county": (
        "数据中没有编号为 “{value}” 的县——可选：{allowed}",
        "there is no county “{value}” in the data - one of: {allowed}",
    ),
    "case-import-conflict": (
        "本站已有编号为 “{id}” 的另一个案例，不会覆盖——请用 --as 另起一个编号导入，例如 --as {id}-2",
        "this site already has a different case with the id “{id}”, which is not overwritten - import under another id with --as, e.g. --as {id}-2",
    ),
    "case-import-image-conflict": (
        "本站已有同名图片 {value}，内容不同，不会覆盖——请改名或移走本站的这张图片后再导入",
        "this site already has a different image at {value}, which is not overwritten - rename or move it, then import again",
    ),
    "case-image-syntax": (
        "图片只能用 Markdown 写法插入：![说明](images/文件名.jpg)——不要用 HTML 标签或 ![说明][引用] 的写法",
        "insert images in Markdown only: ![caption](images/file.jpg) - no HTML tags, no ![caption][reference] form",
    ),
    "unknown-county": (
        "县编号 “{value}” 不存在——可用：{allowed}",
        "there is no county “{value}” - available: {allowed}",
    ),
    # --- spreadsheets (sitegen import / export) and new files (sitegen new, schema) ---------
    "import-file-format": (
        "不能读取 “{suffix}” 格式的表格——请在 Excel 或 WPS 中“另存为” .xlsx（Excel 工作簿）或 .csv 再导入",
        "cannot read “{suffix}” spreadsheets - save the file as .xlsx (Excel workbook) or .csv and import that",
    ),
    "import-file-unreadable": (
        "无法打开这个表格：{reason}——请确认它是 .xlsx 或 .csv 文件，并在 Excel/WPS 中能正常打开",
        "cannot open the spreadsheet: {reason} - check that it is an .xlsx or .csv file that Excel opens",
    ),
    "import-file-entities": (
        "表格文件的 {part} 里声明了 XML 实体（<!DOCTYPE 或 <!ENTITY），Excel 和 WPS 不会这样保存，可能是被人为构造的文件，未读取——请在 Excel 或 WPS 中打开，“另存为”一个新的 .xlsx 后再导入",
        "the spreadsheet's {part} declares XML entities (<!DOCTYPE or <!ENTITY), which Excel and WPS never write: it may be a crafted file and is not read - open it in Excel or WPS, save it as a new .xlsx and import that",
    ),
    "import-sheet-missing": (
        "表格里没有名为 “{sheet}” 的工作表——现有：{sheets}",
        "the workbook has no sheet “{sheet}” - it has: {sheets}",
    ),
    "import-sheet-choose": (
        "表格有多个工作表（{sheets}），不知道导入哪一个——请用 --sheet 指定",
        "the workbook has several sheets ({sheets}) - name the one to import with --sheet",
    ),
    "import-kind-needed": (
        "工作表（{sheets}）的名称看不出是哪类记录——请用 --kind 指定，例如 --kind orgs",
        "the sheet names ({sheets}) do not say which records they hold - use --kind, e.g. --kind orgs",
    ),
    "entry-data-invalid": (
        "县 “{county}” 的现有数据或网站配置有错误（见上）——请先改正（sitegen validate 会列出全部错误）",
        "the existing data of “{county}” or the site configuration has errors (listed above) - fix them first (sitegen validate lists them all)",
    ),
    "import-no-header": (
        "前 {rows} 行里找不到{kind}台账的表头——表头行应有 {examples} 等列；表头名称特殊时，请用 --mapping 映射文件说明每列对应的字段",
        "no {kind} header row in the first {rows} rows - it needs columns such as {examples}; map unusual headers with a --mapping file",
    ),
    "import-unknown-column": (
        "“{header}”列不是数据标准的字段，这一列没有导入——如果它对应某个字段，请在 --mapping 映射文件中写一行“{header}: 字段名”",
        "the column “{header}” is not a field of the data standard and was not imported - if it holds a field, add a line “{header}: field” to a --mapping file",
    ),
    "import-duplicate-column": (
        "“{header}”列和 {other} 都对应字段 {field}——请删除或改名其中一列",
        "the column “{header}” and {other} both hold the field {field} - remove or rename one of them",
    ),
    "import-missing-column": (
        "缺少必填列 “{label}”（{field}），有 {rows} 行因此无法导入——请添加这一列",
        "the required column “{label}” ({field}) is missing, so {rows} row(s) cannot be imported - add the column",
    ),
    "import-mapping-format": (
        "映射文件的每一行应写成“表头: 字段”，例如 企业全称: name",
        "each line of the mapping file must be “header: field”, e.g. Company: name",
    ),
    "import-mapping-field": (
        "映射文件中的字段 “{value}” 不是{kind}的字段——可用：{allowed}",
        "“{value}” in the mapping file is not a field of a {kind} - available: {allowed}",
    ),
    "import-total-row": (
        "这是合计行，没有导入",
        "a totals row, not imported",
    ),
    "import-duplicate-row": (
        "这一行与第 {other} 行是同一条记录（编号 {id}）——请删除重复的行，或填写不同的编号",
        "this row is the same record as row {other} (id {id}) - remove the duplicate or give it another id",
    ),
    "import-invalid-date": (
        "日期 “{value}” 无法识别——请写成 2025-06-12 或 2025年6月12日，或把单元格设为日期格式",
        "the date “{value}” cannot be read - write it as 2025-06-12, or format the cell as a date",
    ),
    "import-impossible-date": (
        "日期 “{value}” 不存在——请检查年月日",
        "the date “{value}” does not exist - check year, month and day",
    ),
    "import-unknown-name": (
        "没有名为 “{value}” 的{target}——请填写已有{target}的编号或名称（先导入或新建{target}）",
        "there is no {target} named “{value}” - write the id or name of an existing {target}",
    ),
    "import-file-exists": (
        "文件 {path} 已存在，但其中没有这条记录——请给这一行填写编号，或把该文件改名",
        "the file {path} exists but does not hold this record - give the row an id, or rename the file",
    ),
    "new-record-exists": (
        "{kind} “{id}” 已存在（{path}）——请换一个编号，或直接编辑该文件",
        "the {kind} “{id}” exists already ({path}) - choose another id, or edit that file",
    ),
    "schema-outdated": (
        "JSON Schema 文件与代码不一致——请运行 sitegen schema 重新生成",
        "the JSON Schema file is out of date - run sitegen schema to regenerate it",
    ),
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


# Params that carry the clerk's own text, cut short: a paragraph pasted into a count field
# must still give a readable one-line diagnostic.
_USER_TEXT = frozenset({"value", "text", "key", "snippet", "id"})
_LINE_BREAKS = re.compile(r"[\r\n\t\v\f\x85\u2028\u2029]+")
CLIP = 60


def shorten(text: str, limit: int = CLIP) -> str:
    """``text`` on one line, cut to ``limit`` characters with an ellipsis."""
    one_line = " ".join(text.split())
    return one_line if len(one_line) <= limit else one_line[: limit - 1] + "…"


LISTED = 10  # ids named in a message; a province has 120 counties
LOOK_ALIKES = 3
_CLOSE = 0.6  # difflib's similarity from which a value looks like a misspelling


def look_alikes(
    value: str, candidates: list[str], labels: Mapping[str, str] | None = None
) -> list[str]:
    """The candidates ``value`` may be a misspelling of, most alike first (at most three).

    A candidate looks alike when it is similar as text (difflib) or contains the value, or is
    contained in it (``express`` for express_logistics); with ``labels`` (code -> Chinese
    label) the label counts too, so 快递 finds express_logistics（快递物流）.
    """
    key = value.strip().casefold()
    if not key:
        return []
    scores: dict[str, float] = {}
    for candidate in candidates:
        names = [n.casefold() for n in (candidate, (labels or {}).get(candidate, "")) if n]
        similar = max(difflib.SequenceMatcher(None, key, n).ratio() for n in names)
        contains = len(key) > 1 and any(key in n or (len(n) > 1 and n in key) for n in names)
        if similar >= _CLOSE or contains:
            scores[candidate] = similar + contains
    return sorted(scores, key=lambda c: -scores[c])[:LOOK_ALIKES]


def suggestion(
    value: str, candidates: list[str], phrase: str = "phrase.did-you-mean"
) -> tuple[str, str]:
    """(zh, en) "did you mean" for the most alike candidate, or ("", "") when none is."""
    close = look_alikes(value, candidates)
    return pair(phrase, value=close[0]) if close else ("", "")


def listed(
    ids: list[str], value: str = "", labels: Mapping[str, str] | None = None
) -> tuple[str, str]:
    """Allowed ids for a message, (zh, en): the first ``LISTED``, and how many in all. Ids
    that look like ``value`` (a misspelling) come first; ``labels`` are shown in Chinese."""
    if not ids:
        return ("—", "-")
    close = look_alikes(value, ids, labels)
    shown = [*close, *(i for i in ids if i not in close)][:LISTED]
    zh = "、".join(f"{i}（{labels[i]}）" if labels and i in labels else i for i in shown)
    if len(shown) == len(ids):
        return (zh, ", ".join(shown))
    return (f"{zh} 等共 {len(ids)} 个", f"{', '.join(shown)} … ({len(ids)} in all)")


def unknown_code(codelist: tuple[str, str], value: str, codes: Mapping[str, str]) -> dict:
    """The params of ``unknown-code``: the nearest codes named first, with their labels."""
    close = look_alikes(value, list(codes), codes)
    hint = (
        pair("phrase.did-you-mean-code", value=close[0], label=codes[close[0]])
        if close
        else ("", "")
    )
    return {
        "codelist": codelist,
        "value": value,
        "suggestion": hint,
        "allowed": listed(list(codes), value, codes),
    }


def text(key: str, lang: str, **params: object) -> str:
    """A command's output line from the catalog (:mod:`generator.texts`), in ``lang``."""
    zh, en = TEXTS[key]
    return (zh if lang == "zh" else en).format(**params)


def pair(key: str, **params: object) -> tuple[str, str]:
    """A catalog phrase in both languages, for a diagnostic's params (rendered later)."""
    zh, en = TEXTS[key]
    return zh.format(**params), en.format(**params)


def yaml_problem(problem: str) -> tuple[str, str] | None:
    """libyaml's problem in the clerk's words, when the catalog has it."""
    return next((words for known, words in YAML_PROBLEMS if known in problem), None)


def render_message(code: str, params: dict[str, object], lang: str = "zh") -> str:
    """The message text for ``code`` in ``lang``; params that are (zh, en) pairs are localized.

    Every diagnostic stays on one line: line breaks in params become spaces.
    """
    zh, en = MESSAGES[code]
    template = zh if lang == "zh" else en
    values = {}
    for key, value in params.items():
        if isinstance(value, tuple) and len(value) == 2 and all(isinstance(v, str) for v in value):
            value = value[0] if lang == "zh" else value[1]
        if isinstance(value, str):
            value = shorten(value) if key in _USER_TEXT else _LINE_BREAKS.sub(" ", value)
        values[key] = value
    return template.format(**values)
