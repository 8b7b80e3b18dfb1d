"""The catalog's second part: what the commands print, in Chinese and English.

:mod:`generator.messages` holds the diagnostics (one per code) and reads these too; keys are
``<command>.<what>`` (``cli.built``, ``entry.counts``, ``case.added``). Texts may improve; the
scenario and CLI tests assert them exactly.
"""

from __future__ import annotations

TEXTS: dict[str, tuple[str, str]] = {
    # generator/cli/main.py
    "cli.ok": (
        "数据检查通过：{counties} 个县，{records} 条记录。",
        "Data is valid: {counties} counties, {records} records.",
    ),
    "cli.built": ("网站已生成：{out}", "Site built: {out}"),
    "cli.failed": (
        "发现 {errors} 个错误、{warnings} 个警告。网站没有更新，上次发布的网站保持不变。",
        "{errors} error(s), {warnings} warning(s). The site was not updated; the last published site is unchanged.",
    ),
    "cli.invalid": (
        "发现 {errors} 个错误、{warnings} 个警告，请按上面的提示修改。",
        "{errors} error(s), {warnings} warning(s): fix them as the lines above say.",
    ),
    "cli.strict": ("（--strict：警告也按错误处理）", "(--strict: warnings count as errors)"),
    "cli.warnings": ("{warnings} 个警告，请核对。", "{warnings} warning(s), please check."),
    "cli.build-failed": ("生成网站失败：{error}", "The build failed: {error}"),
    "cli.rebuilt": ("[{time}] 网站已重新生成", "[{time}] site rebuilt"),
    "cli.kept": (
        "[{time}] 数据有错误，预览仍显示上次生成的网站",
        "[{time}] the data has errors; still serving the last good site",
    ),
    "cli.preview": (
        "这是本机预览（不是发布用的网站服务器）：正在生成网站……",
        "This is a local preview, not a web server for publishing: building the site...",
    ),
    "cli.serving": (
        "预览地址：http://{host}:{port}/ （按 Ctrl+C 结束）",
        "Serving on http://{host}:{port}/ (Ctrl+C to stop)",
    ),
    # generator/entry/cli_entry.py
    "entry.sheet": (
        "导入{kind}：{file} 工作表“{sheet}”",
        "Importing {kind}: {file}, sheet “{sheet}”",
    ),
    "entry.counts": (
        "新增 {added} 条，修改 {changed} 条，不变 {unchanged} 条；表中没有的 {kept} 条现有记录保持不变。",
        "{added} added, {changed} changed, {unchanged} unchanged; {kept} existing record(s) not in the sheet are kept.",
    ),
    "entry.added": ("  + 新增 {path}  {label}", "  + add    {path}  {label}"),
    "entry.changed": ("  ~ 修改 {path}  {label}", "  ~ change {path}  {label}"),
    "entry.diff": (
        "      {field}（{title}）：{old} -> {new}",
        "      {field} ({title}): {old} -> {new}",
    ),
    "entry.written": ("已写入 {count} 个文件。", "{count} file(s) written."),
    "entry.dry-run": (
        "试运行（--dry-run）：没有写入任何文件。去掉 --dry-run 即可写入。",
        "Dry run (--dry-run): nothing was written. Run again without --dry-run to write.",
    ),
    "entry.empty": ("（空）", "(empty)"),
    "entry.more-added": ("  ……另有 {count} 条新增记录", "  ... and {count} more added"),
    "entry.exported": ("已导出 {counts}：{path}", "Exported {counts}: {path}"),
    "entry.schema-written": (
        "已写入 {count} 个 JSON Schema 文件：{out}",
        "{count} JSON Schema file(s) written to {out}",
    ),
    "entry.schema-current": (
        "JSON Schema 文件都是最新的：{out}",
        "The JSON Schema files are up to date: {out}",
    ),
    # generator/library/cli.py
    "case.exported": (
        "已导出案例 {id}（{county}，数据版本 {revision}）：{path}",
        "Exported the case {id} ({county}, data revision {revision}): {path}",
    ),
    "case.added": (
        "已导入案例 {id}（来自{county}）：{path}",
        "Imported the case {id} (from {county}): {path}",
    ),
    "case.updated": (
        "已用新导出的版本更新案例 {id}（来自{county}）：{path}",
        "Updated the case {id} (from {county}) with the newer export: {path}",
    ),
    "case.unchanged": (
        "案例 {id} 已导入过，内容相同，没有改动：{path}",
        "The case {id} was imported before and is unchanged: {path}",
    ),
    "case.dry-run": (
        "试运行（--dry-run）：检查通过，没有写入任何文件。",
        "Dry run (--dry-run): the bundle is fine; nothing was written.",
    ),
    # generator/report/cli.py
    "report.exported": (
        "已导出{county}（{id}）的报送包：{path}（数据版本 {revision}，数据截至 {as_of}）",
        "Exported the report of {county} ({id}): {path} (data revision {revision}, as of {as_of})",
    ),
    "report.added": (
        "已导入{county}的报送（{note}）：{path}",
        "Imported the report of {county} ({note}): {path}",
    ),
    "report.updated": (
        "已用新的报送替换{county}的旧报送（{note}）：{path}",
        "Replaced the report of {county} with the newer one ({note}): {path}",
    ),
    "report.unchanged": (
        "{county}的这份报送已导入过，内容相同，没有改动：{path}",
        "This report of {county} was imported before and is unchanged: {path}",
    ),
    "report.dry-run": (
        "试运行（--dry-run）：检查通过，没有写入任何文件。",
        "Dry run (--dry-run): the report is fine; nothing was written.",
    ),
    # generator/cli/followups.py
    "followups.invalid": (
        "发现 {errors} 个错误、{warnings} 个警告，请按上面的提示修改后再做台账体检。",
        "{errors} error(s), {warnings} warning(s): fix them as the lines above say, then run "
        "the follow-ups again.",
    ),
    "followups.unknown-grid": (
        "{where}没有网格 “{value}”——可用的网格：{allowed}",
        "{where}there is no grid “{value}” - available: {allowed}",
    ),
    "followups.summary": (
        "共 {total} 项待跟进（数据截至 {as_of}）{counts}",
        "{total} item(s) to follow up (data as of {as_of}){counts}",
    ),
    "followups.stale-skipped": (
        "数据文件夹不在 git 仓库中，“台账久未更新”（ledger-stale）没有检查。",
        "the data folder is not in git: ledger-stale was not checked.",
    ),
    # generator/entry/cli_output.py: what the commands that read the data share
    "data.refused": (
        "发现 {errors} 个错误、{warnings} 个警告。没有写入任何文件，请改正后重试。",
        "{errors} error(s), {warnings} warning(s). Nothing was written; fix them and try again.",
    ),
    "data.unknown-county": (
        "没有县 “{value}”——可用的县：{allowed}",
        "there is no county “{value}” - available: {allowed}",
    ),
    "data.not-in-git": ("未纳入 git", "not in git"),
    # phrases that diagnostics are built from
    "phrase.did-you-mean": ("，是否想写 “{value}”？", ", did you mean “{value}”?"),
    "phrase.did-you-mean-code": ("，是否想写 “{value}”（{label}）？", ", did you mean “{value}”?"),
    "phrase.this-page": ("本页", "this page"),
    "phrase.did-you-mean-folder": ("（是否想写 {value}/？）", " (did you mean {value}/?)"),
    "phrase.fill-in": ("——请填写内容", " - fill it in"),
    "phrase.fill-in-or-delete": ("——请填写内容，或删除这一行", " - fill it in or delete the line"),
    "phrase.looks-utf16": (
        "（看起来是 UTF-16 编码，记事本里叫“Unicode”）",
        " (it looks like UTF-16)",
    ),
    "phrase.looks-gbk": ("（看起来是 GBK/GB18030 编码）", " (it looks like GBK/GB18030)"),
    "phrase.quote-in-quotes": (
        '引号里面又出现了同样的引号——文字里有单引号 \' 时，整个值改用双引号 "…"（反之亦然）',
        "a quote inside a value quoted with the same quote - if the text contains ', quote the whole "
        'value with "…" instead (and the other way round)',
    ),
    "phrase.check-line": (
        "{problem}（请检查这一行的缩进、冒号和引号）",
        "{problem} (check indentation, colons and quotes)",
    ),
    # generator/brief/cli.py, generator/form/cli.py
    "brief.written": ("已生成：{path}", "Written: {path}"),
    "brief.period": (
        "报告期：{period}（与 {base} 对比），数据版本 {revision}",
        "Reporting period: {period} (compared with {base}), data revision {revision}",
    ),
    "brief.period-alone": (
        "报告期：{period}（没有上一期报告可对比），数据版本 {revision}",
        "Reporting period: {period} (no earlier report to compare with), data revision {revision}",
    ),
    "brief.current": ("当前数据", "the data as it is"),
    "brief.no-office": (
        "未找到 LibreOffice（soffice），没有生成 PDF（.docx 已生成）——"
        "Debian/Ubuntu：sudo apt-get install libreoffice-writer-nogui；"
        "Windows：安装 LibreOffice 并把其 program 文件夹加入 PATH，或用 WPS/Word 打开 .docx 另存为 PDF",
        "LibreOffice (soffice) was not found, so no PDF was written (the .docx was) - "
        "Debian/Ubuntu: sudo apt-get install libreoffice-writer-nogui; Windows: install "
        "LibreOffice and put its program folder on PATH, or save the .docx as PDF from WPS/Word",
    ),
    "brief.failed": ("生成失败：{error}", "Failed: {error}"),
    "form.unreadable": (
        "无法读取模板 {path}：{error}——模板须是 Excel 工作簿（.xlsx）",
        "cannot read the template {path}: {error} - it must be an Excel workbook (.xlsx)",
    ),
    "form.refused": (
        "模板有 {errors} 个错误，没有生成报表，请按上面的提示修改模板。",
        "the template has {errors} error(s); no form was written: fix the template as above.",
    ),
}

# libyaml's problems in the clerk's words (zh, en); the place is given by the location.
YAML_PROBLEMS: tuple[tuple[str, tuple[str, str]], ...] = (
    (
        "could not find expected ':'",
        (
            "这一行缺少冒号——字段名后面要写英文冒号和一个空格，例如 name: 蒲县",
            "a colon is missing - write the field name, a colon and a space, e.g. name: value",
        ),
    ),
    (
        "mapping values are not allowed",
        (
            "这里不能出现“冒号+空格”——可能是缩进没有对齐；如果值里本来就有冒号，请给整个值加引号",
            "a colon and space is not allowed here - check the indentation; if the value "
            "contains a colon, put the whole value in quotes",
        ),
    ),
    (
        "found unexpected end of stream",
        (
            "引号没有配对——请补上结尾的引号",
            "a quote is not closed - add the closing quote",
        ),
    ),
    (
        "did not find expected ',' or ']'",
        (
            "方括号 [ ] 没有配对，或列表项之间缺少英文逗号",
            "a [ is not closed, or a comma is missing between the items",
        ),
    ),
    (
        "did not find expected ',' or '}'",
        (
            "花括号 { } 没有配对，或各项之间缺少英文逗号",
            "a { is not closed, or a comma is missing between the items",
        ),
    ),
    (
        "did not find expected key",
        (
            "缩进没有对齐——同一条记录的各个字段要从同一列开始",
            "the indentation does not line up - the fields of one record start in the same column",
        ),
    ),
    (
        "did not find expected '-' indicator",
        (
            "列表项和字段混在一起——列表的每一项都以“- ”开头，并且对齐",
            "list items and fields are mixed - every list item starts with '- ' in the same column",
        ),
    ),
    (
        "found character that cannot start any token",
        (
            "值不能以这个字符开头（例如 @ 或 `）——请给整个值加引号",
            "a value cannot start with this character (e.g. @ or `) - put the value in quotes",
        ),
    ),
    (
        "found unknown escape character",
        (
            "双引号里的反斜杠 \\ 后面跟了不认识的字符——请改用单引号，或把 \\ 写成 \\\\",
            "an unknown escape after a backslash in double quotes - use single quotes, "
            "or write \\ as \\\\",
        ),
    ),
    (
        "found undefined alias",
        (
            "“*”开头的值是 YAML 别名，这里引用的锚点不存在——如果 * 是文字的一部分，请给整个值加引号",
            "a value starting with * is a YAML alias and its anchor does not exist - if the * "
            "is text, put the whole value in quotes",
        ),
    ),
    (
        "did not find expected node content",
        (
            "这里缺少内容——方括号、花括号或引号可能没有配对，或者冒号后面的值没写完",
            "something is missing here - a bracket or quote may be unclosed, or a value is incomplete",
        ),
    ),
    (
        "did not find expected alphabetic or numeric character",
        (
            "以 * 或 & 开头的值会被当成 YAML 别名或锚点——如果这是文字，请给整个值加引号",
            "a value starting with * or & is read as a YAML alias or anchor - if it is text, "
            "put the whole value in quotes",
        ),
    ),
    (
        "did not find expected <document start>",
        (
            "这里多出了内容（例如多了一个括号）——请删除多余的字符",
            "unexpected extra content here (e.g. one bracket too many) - remove it",
        ),
    ),
    (
        "but found another document",
        (
            "一个文件只能写一份内容——请删除多出来的 --- 行",
            "a file holds one document only - remove the extra --- line",
        ),
    ),
)
