"""A demo register filled with plausible applications and cases (every applicant clearly fictitious)."""

from __future__ import annotations

from datetime import date, timedelta

from xxgk.register import Register
from xxgk.register.calendar import add_working_days
from xxgk.register.choices import applicant_types, case_kinds, case_results

# Fictitious requests of the kind agencies receive; names say they are examples.
_REQUESTS = (
    "某路段道路改造工程的立项批复文件",
    "本机关上一年度部门预算和决算",
    "某小区周边规划调整的听证材料",
    "某企业环境影响评价审批意见",
    "本地区征地补偿安置方案",
    "某项处罚决定书",
    "某项目招标投标结果公示材料",
    "城市生活垃圾分类实施方案",
)


def fill_demo_register(register: Register, today: date | None = None) -> int:
    """Add demo applications (some overdue, some due soon, some answered) and cases; how many applications."""
    if register.count():
        return 0  # filled already: a second demo run adds nothing
    today = today or date.today()
    if not register.office().agency:  # the letters' signature: clearly a demo
        register.set_office({"agency": "示例县某某局（演示）", "phone": "0000-0000000", "address": "示例县示例路1号"})
    types = applicant_types()
    added = 0
    # Received this many days ago: old enough to be overdue, recent enough to be due soon, or just in.
    for i, days_ago in enumerate((60, 50, 45, 38, 27, 12, 6, 2)):
        received = today - timedelta(days=days_ago)
        data: dict[str, object] = {
            "reference": f"示例-{today.year}-{i + 1:03d}",
            "received": received,
            "channel": ("online", "letter", "in_person")[i % 3],
            "applicant_type": types[0] if i % 3 else types[min(1, len(types) - 1)],
            "applicant_name": f"示例申请人{'甲乙丙丁戊己庚辛'[i]}（虚构）",
            "applicant_contact": f"1380000{i:04d}",
            "request": _REQUESTS[i % len(_REQUESTS)],
        }
        if i in (0, 1):  # answered on time
            data["answered"] = add_working_days(received, 10)
            data["outcome"] = ("granted", "partially_granted")[i]
        if i == 2:  # a request that needed correcting
            data["correction_notice"] = add_working_days(received, 3)
        register.add(data)
        added += 1
    register.add_case({"reference": f"示例复议-{today.year}-001", "kind": case_kinds()[0],
                       "filed": today - timedelta(days=30)})
    register.add_case({"reference": f"示例复议-{today.year}-002", "kind": case_kinds()[0],
                       "filed": today - timedelta(days=90), "decided": today - timedelta(days=20),
                       "result": case_results()[0]})
    return added
