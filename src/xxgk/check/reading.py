"""What the parser reports when a document cannot be read cleanly (listed here for the docs).

The parser emits these findings itself while reading; they are registered so that every
rule id a user can meet is documented in one place.
"""

from __future__ import annotations

from collections.abc import Iterator

from xxgk.check.rules import rule
from xxgk.model import Finding, Report, Severity

_READING: list[tuple[str, Severity, str, str, str]] = [
    ("PARSE-ROW-SHORT", "warning", "一行的数字少于列数，无法确定缺的是哪一列（该行按空缺处理）",
     "不猜测：位置不明的数值不采用", "“3.要求提供公开出版物 | 0 | 0 | 0 | 0 | 0 | 0 | |”只有6个数字"),
    ("PARSE-ROW-EXTRA", "warning", "一行的数字多于列数（取前几个）", "表格定义的列数", "一行读到8个数字而表三只有7列"),
    ("PARSE-EXTRA-COLUMN", "info", "一行多出一个数字（如小计列），只有去掉其中一个才与勾稽关系相符时才采用",
     "总计 = 各列之和", "表三每行8个数字：自然人、五类组织、小计、总计"),
    ("PARSE-ROW-MISSING", "warning", "未找到某一行", "表格定义的行", "表三缺少“8.属于行政查询事项”一行"),
    ("PARSE-CELL-BLANK", "warning", "单元格为空白（按空缺处理，不视为0）", "空白不等于0", "“政府集中采购 | ||||”"),
    ("PARSE-CELL-NA", "warning", "单元格填写“/”“—”“无”“暂无”“×”等非数字（“〇”“○”“零”读作0）", "表格应填写数字", "“规章 | / | / | /”"),
    ("PARSE-DIGITS-LOST", "warning", "一格数字中有字符在抓取或解码时丢失（该格按空缺处理，同行其余各格照常读取）",
     "不猜测：丢失的数字无法补回", "“（一）予以公开 | 12?8 | 21 | …”：自然人一格按空缺处理"),
    ("PARSE-DIGITS-SPLIT", "info", "连在一起的数字按勾稽关系唯一拆分", "总计 = 各列之和等表内关系",
     "“21710000218”唯一拆为217、1、0、0、0、0、218"),
    ("PARSE-DIGITS-AMBIGUOUS", "warning", "连在一起的数字有多种拆分（该行按空缺处理）", "不猜测",
     "“行政规范性文件77132470”可拆为77/13/2470、77/132/470等"),
    ("PARSE-DIGITS-PROSE", "info", "表二中连在一起的数字，按报告正文写明的数量拆分（正文印证的各列采用，其余仍按空缺处理）",
     "表二没有勾稽关系，只有报告本身的文字能印证拆分", "“行政规范性文件6233440”，正文写“制发规范性文件62件”"),
    ("PARSE-DIGITS-SPACED", "info", "一格中的数字之间有空格，按一个数读取，而该行没有勾稽关系可以印证",
     "PDF转出的文字常把数字字母间距拉开；也可能是两个数挤在一格", "表二“行政处罚 | 9 7 |”读作97"),
    ("PARSE-BLOCK-LAYOUT", "info", "成块排列的数字按各行勾稽关系还原到各行", "总计 = 各列之和",
     "PDF转出的文字中表三数字按列成块排列"),
    ("PARSE-ORDER-PLACED", "info", "未紧挨行标题的一组数字按行序和勾稽关系归入唯一可能的行", "表格行序与勾稽关系",
     "“一、本年新收…”的数字印在标题之前"),
    ("PARSE-ROWS-OUT-OF-STEP", "warning",
     "没有单元格边界的文字中，表格的一段里有的数字没有对应的行、有的行没有数字：这一段的行标题与数字可能错开一行（数值保留，请核对）",
     "错开一行时勾稽关系仍然成立，无法由算术发现", "PDF 按文字块转出的文字，多行的行标题印在其数字之后"),
    ("PARSE-ROW-AFTER-SHORT", "warning",
     "没有单元格边界的文字中，上一行数字不全，它缺少的数字可能排到了本行（本行数值保留，请核对）", "不猜测：归属不确定时提示核对",
     "pdftotext 转出的“规章 0 / 行政规范性文件 77 0 0”，原表为“规章 0 0 0 / 行政规范性文件 77 空 空”"),
    ("PARSE-LABEL-PAST-HEADER", "warning",
     "一组数字之后隔着表头才出现行标题，按其后的标题归入该行（也可能属于表头之前的另一行）", "不猜测：归属不确定时提示核对",
     "PDF 转出的文字：“行政许可 … 447228 - 3 - 信息内容 行政处罚”"),
    ("PARSE-NUMBERS-UNPLACED", "warning", "有数字未能对应到任何一行", "表格定义的行", "表格中多出一组无标题的数字"),
    ("PARSE-TABLE-UNREADABLE", "warning", "表格区域有内容但无法识别任何一行", "表格定义的行", "表格版式严重错乱"),
    ("PARSE-TABLE-LEGACY", "info", "2019年以前的自由格式报告没有法定统计表", "国办公开办函〔2019〕60号之前无统一格式",
     "2013年度报告"),
    ("PARSE-OCR-UNCONFIRMED", "warning",
     "图片识别（OCR）读出的一行数字不符合勾稽关系，或识别可信度不足而又无法核对（该行按空缺处理）",
     "宁可留空，不给出可能读错的数字；勾稽关系为表格定义", "图片中“（一）予以公开”一行的总计被识别为136，而各列之和为1362"),
    ("PARSE-OCR-UNCHECKED", "info", "图片识别（OCR）读出的一行数字可信度高，但没有勾稽关系可以核对（保留数值）",
     "表二没有勾稽关系；识别可信度不低于0.9", "图片中的表二“规章”一行"),
    ("PARSE-YEAR-UNKNOWN", "info", "未能确定报告年度（标题、统计期限和正文都没有写明，或正文中的年份不一致）",
     "不猜测：年度不取落款日期、文件名称中的年份或下一年度的计划", "没有标题的报告，正文只写“本机关”而未写年份"),
    ("PARSE-YEAR-CONFLICT", "warning", "标题中的年度与正文所述年度（统计期限、引言中公布的报告）不一致（取标题中的年度，请核对）",
     "页面上其他报告的标题（相关信息、上一篇）不作本报告标题；统计期限也可能照抄上一年度报告",
     "标题为“某局2021年政府信息公开工作年度报告”，统计期限为2022年1月1日至2022年12月31日"),
    ("PARSE-AGENCY-SIGNATURE", "info", "标题中没有报告机关名称，机关名称取自文末落款", "落款即报告机关",
     "没有标题的报告，文末落款“桦甸市人民政府新华街道办事处”"),
    ("PARSE-PUBLISHED-METADATA", "info", "页面上没有印出发布日期，发布日期取自网页元数据（PubDate 等）",
     "政府网站按《政府网站发展指引》在网页头部标注 PubDate 等元数据；页面上印出的日期优先",
     "页面没有“发布日期”一行，网页头部有 <meta name=\"PubDate\" content=\"2023-01-20 10:00\">"),
    ("PARSE-CHARS-LOST", "info",
     "原文中有字符在抓取或解码时丢失（印作 ?、�、□、■、〓）：表格的行列标题、表题、章节标题和报告名称中其余的字能唯一确定的，"
     "按法定写法识别；标题认不出的数字不归入任何一行；原文、机关名称中丢失的字无法补回",
     "按 statutory.toml 中的写法识别；不猜测", "“行政处? 2776”读作行政处罚一行；“行??罚”两字丢失，不识别"),
    ("READ-SOURCE", "info", "报告内容从何处读得（如网页本身没有表格，报告读自其附件）", "—",
     "网页本身没有统计表格，报告内容读自附件：2023年政府信息公开工作年度报告.pdf"),
    ("READ-NOTE", "warning", "读取文件时遇到的问题（如个别字符无法解码）", "—", "文件中有3个字节无法按GB18030解码"),
]


def _nothing(report: Report) -> Iterator[Finding]:
    return iter(())


for _id, _severity, _title, _basis, _example in _READING:
    rule(_id, _severity, _title, _basis, _example)(_nothing)
