"""Imported by the fork server of the watched processes: the package loaded and one report parsed.

Every child is forked from it, so none pays again for the imports and the first-use work (the
statutory declaration, the rules, compiled patterns) before its document's time starts.
"""

from __future__ import annotations

import contextlib

import xxgk
import xxgk.check  # loaded on a report's first check otherwise

_SAMPLE = """某县人民政府2023年政府信息公开工作年度报告
一、总体情况
本机关主动公开政府信息1条。
二、主动公开政府信息情况
三、收到和处理政府信息公开申请情况
四、政府信息公开行政复议、行政诉讼情况
五、存在的主要问题及改进情况
六、其他需要报告的事项
"""

# Only a head start: the fork server must come up whatever the parser makes of the sample.
with contextlib.suppress(Exception):
    xxgk.parse_text(_SAMPLE, "warm.txt")
