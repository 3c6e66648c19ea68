"""What kind of body published a report, told from its name (for the statutory deadline).

条例第四十九条: a 县级以上人民政府部门 publishes by 31 January; the report of a
县级以上地方人民政府 itself is published by 31 March. Townships and street offices are not
named there: their deadline is set locally, so it cannot be told from the 条例. A government's
办公室 (办公厅) is a department of it, unless its report says it reports in the government's name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

Kind = Literal["government", "department", "township", "unknown"]

# A body inside a government: offices, bureaus, commissions, centres...
_DEPARTMENT = re.compile(
    r"(?:办公室|办公厅|局|委员会|委|厅|部|署|处|中心|院|所|站|队|馆|办|司|会|公司|分局|支队|大队|集团|室)$"
)
# A 管委会 that governs an area (a development zone, a new district, a park) in the place of a
# government; a 管理委员会 named for a field (国有资产监督管理委员会, 城市管理委员会) is a department.
_AREA_COMMITTEE = re.compile(r"(?:区|园|港|岛|城|基地)(?:管理委员会|管委会)$")  # 开发区, 新区, 产业园, 科学城…
_TOWNSHIP = re.compile(r"(?:乡|镇|街道|苏木)(?:人民政府)?$|街道办事处$|(?:乡|镇)政府$")
# A government's own name: 人民政府, or a bare region (开远市, 武隆区, 平潭综合实验区 …).
_GOVERNMENT = re.compile(
    r"(?:人民政府|政府|省|自治区|市|自治州|州|盟|地区|县|自治县|旗|自治旗|区|新区|实验区|示范区|开发区)$"
)


@dataclass(frozen=True, slots=True)
class BodyKind:
    kind: Kind
    reason: str  # in Chinese, for messages


# A government's general office (办公室, 办公厅, 政府办) is one of its working departments, with a report of its
# own and the department deadline; it reports for the government itself only when the report says so.
_GENERAL_OFFICE = re.compile(r"人民政府办公(?:室|厅)$|政府办$")
_ON_BEHALF = re.compile(r"以[^。，,]{0,20}?人民政府[^。]{0,12}?名义|代表[^。，,]{0,12}?政府|本级政府|人民政府[(（]含[^)）]{0,12}办公")


def classify_body(name: str | None, wording: str | None = None) -> BodyKind:
    """Tell a government's own report from a department's, by the body's name and the wording."""
    if not name:
        return BodyKind("unknown", "未识别报告机关")
    n = "".join(name.split())  # white space out, as \s+ would, without the regex
    if _GENERAL_OFFICE.search(n):
        if wording and _ON_BEHALF.search("".join(wording.split())):
            return BodyKind("government", f"“{n}”以本级人民政府名义报告")
        return BodyKind("department", f"“{n}”为本级人民政府的办公室，是政府的工作部门")
    if _TOWNSHIP.search(n):
        return BodyKind("township", f"“{n}”为乡镇（街道）")
    if _AREA_COMMITTEE.search(n):
        return BodyKind("government", f"“{n}”为管委会（履行本级政府职责）")
    if _DEPARTMENT.search(n) and not n.endswith("人民政府"):
        return BodyKind("department", f"“{n}”为政府部门")
    if _GOVERNMENT.search(n):
        return BodyKind("government", f"“{n}”为地方人民政府")
    return BodyKind("unknown", f"无法从名称“{n}”判断是政府还是部门")
