"""A year's official holiday schedule (国务院办公厅关于YYYY年部分节假日安排的通知), loaded by the office.

chinese-calendar only knows the years up to its last release; the State Council publishes
each year's schedule in the autumn before. An office copies the notice into a small TOML file
(``xxgk register holidays template YEAR`` writes a blank one) and imports it; the working-day
calendar then uses it for that year. Nothing here ever guesses a schedule: the template lists
weekends and fixed-date holidays as comments only.

The law is clear on some points and they are enforced: every date lies in the schedule's year;
no day is both 放假 and 调休上班; a 调休上班 day is a Saturday or Sunday (a weekday is a working
day anyway); the holidays fixed by date in 《全国年节及纪念日放假办法》第二条 (as amended by
国务院令第798号, from 2025: 元旦 1月1日, 劳动节 5月1日、2日, 国庆节 10月1日至3日) are 放假.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from xxgk.register.errors import RegisterError

FIELDS = {"year": "年度", "title": "通知标题", "number": "文号", "holidays": "放假", "workdays": "调休上班"}
# 《全国年节及纪念日放假办法》第二条 as amended by 国务院令第798号 (in force 2025-01-01).
_FIXED_SINCE_2025 = {(1, 1): "元旦", (5, 1): "劳动节", (5, 2): "劳动节", (10, 1): "国庆节", (10, 2): "国庆节",
                     (10, 3): "国庆节"}
_FIXED_BEFORE_2025 = {(1, 1): "元旦", (5, 1): "劳动节", (10, 1): "国庆节", (10, 2): "国庆节", (10, 3): "国庆节"}
_NUMBER = re.compile(r"^\S{1,20}〔(\d{4})〕\d{1,4}号$")
WEEKDAYS = "一二三四五六日"


class HolidaySchedule(BaseModel):
    """One year's 放假 and 调休上班 days as the State Council's notice lists them, with the notice as source."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    year: int = Field(ge=2000, le=2100)
    title: str = Field(min_length=1, max_length=200)
    number: str = Field(min_length=1, max_length=60)
    holidays: tuple[date, ...] = Field(min_length=1, max_length=60)
    workdays: tuple[date, ...] = Field(default=(), max_length=30)

    @model_validator(mode="after")
    def _lawful(self) -> HolidaySchedule:
        problems: list[str] = []
        if f"{self.year}年" not in self.title or "节假日" not in self.title:
            problems.append(f"通知标题应为国务院办公厅关于{self.year}年部分节假日安排的通知的标题（含“{self.year}年”“节假日”）")
        found = _NUMBER.match(self.number)
        if found is None:
            problems.append("文号格式应如 国办发明电〔2025〕7号（六角括号〔〕）")
        elif not self.year - 1 <= int(found.group(1)) <= self.year:
            problems.append(f"文号的年份应为 {self.year - 1} 或 {self.year}（通知在上一年发布）")
        for field in ("holidays", "workdays"):
            days: tuple[date, ...] = getattr(self, field)
            for day in days:
                if day.year != self.year:
                    problems.append(f"{FIELDS[field]}：{day.isoformat()} 不在 {self.year} 年内")
            for day in sorted({d for d in days if days.count(d) > 1}):
                problems.append(f"{FIELDS[field]}：{day.isoformat()} 重复")
        for day in sorted(set(self.holidays) & set(self.workdays)):
            problems.append(f"{day.isoformat()} 同时列在放假和调休上班中")
        for day in self.workdays:
            if day.weekday() < 5:
                problems.append(f"调休上班：{day.isoformat()} 是星期{WEEKDAYS[day.weekday()]}，"
                                "调休上班日只能是星期六或星期日（工作日本来就上班）")
        fixed = _FIXED_SINCE_2025 if self.year >= 2025 else _FIXED_BEFORE_2025
        for (month, day_of_month), name in fixed.items():
            day = date(self.year, month, day_of_month)
            if day not in self.holidays:
                problems.append(f"放假：缺少 {day.isoformat()}（{name}，《全国年节及纪念日放假办法》第二条规定的放假日）")
        if problems:
            raise ValueError("；".join(problems))
        return self

    @property
    def source(self) -> str:
        """The notice, as a deadline's explanation names it."""
        return f"{self.title}（{self.number}）"


@dataclass(frozen=True, slots=True)
class _Located:
    """A problem with the line of the file it is on (0 when it concerns the file as a whole)."""

    line: int
    text: str


def parse_schedule(text: str, name: str = "节假日安排文件") -> HolidaySchedule:
    """The schedule in a TOML text, or a RegisterError in Chinese naming the lines and fields that are wrong."""
    try:
        data = tomllib.loads(text)
    except RecursionError:  # arrays or tables nested thousands deep: tomllib recurses
        raise RegisterError(f"{name}不是有效的节假日安排：数组或表嵌套过深") from None
    except tomllib.TOMLDecodeError as err:
        where = re.search(r"line (\d+)", str(err))
        line = f"第 {where.group(1)} 行" if where else ""
        raise RegisterError(f"{name}{line}不是有效的 TOML：请检查引号、括号和日期写法（日期写作 2027-01-01）") from None
    try:
        return HolidaySchedule.model_validate(data)
    except ValidationError as err:
        problems = [p for e in err.errors(include_input=False, include_url=False) for p in _located(text, e)]
        shown = [f"第 {p.line} 行：{p.text}" if p.line else p.text for p in sorted(problems, key=lambda p: p.line)]
        raise RegisterError(f"{name}有误：" + "；".join(shown)) from None


def _located(text: str, error: Any) -> list[_Located]:
    """A pydantic error as Chinese text, with the line of the key or date it concerns."""
    loc = error["loc"]
    if not loc:  # the model's own checks, joined by "；": each names its date or its field
        found = []
        for message in str(error["msg"]).removeprefix("Value error, ").split("；"):
            day = re.search(r"\d{4}-\d{2}-\d{2}", message)
            key = "number" if message.startswith("文号") else "title" if message.startswith("通知标题") else None
            # A date is looked for in the list the message is about: the same day may be in both lists.
            array = next((f for f in ("holidays", "workdays") if message.startswith(FIELDS[f] + "：")), None)
            line = 0
            if day and not message.startswith("放假：缺少"):
                line = _line_in(text, array, day.group(0)) if array else _line_of(text, day.group(0))
            if day and "同时列在" in message:
                other = _line_in(text, "workdays", day.group(0))
                line, message = _line_in(text, "holidays", day.group(0)), f"{message}（调休上班在第 {other} 行）"
            found.append(_Located(line or (_line_of(text, key) if key else 0), message))
        return found
    field = str(loc[0])
    label = FIELDS.get(field)
    if label is None:
        return [_Located(_line_of(text, field), f"不认识的项目 {field[:40]}（可用：{'、'.join(FIELDS)}）")]
    kinds = {"missing": "缺少此项", "date_type": "应为日期，如 2027-01-01", "date_from_datetime_parsing": "应为日期，如 2027-01-01",
             "date_parsing": "应为日期，如 2027-01-01", "too_short": "不能为空", "too_long": "项目过多",
             "string_too_short": "不能为空", "string_too_long": "过长", "int_type": "应为整数年份",
             "int_parsing": "应为整数年份", "greater_than_equal": "年份无效", "less_than_equal": "年份无效"}
    what = kinds.get(error["type"], "取值无效")
    if len(loc) > 1 and isinstance(loc[1], int):
        return [_Located(_item_line(text, field, loc[1]), f"{label}（{field}）第 {loc[1] + 1} 项{what}")]
    return [_Located(_line_of(text, field), f"{label}（{field}）{what}")]


def _item_line(text: str, key: str, index: int) -> int:
    """The line the ``index``-th item of the array ``key = [...]`` is on (the key's line if not found)."""
    start = _line_of(text, key)
    if not start:
        return 0
    seen = 0
    for number, line in enumerate(text.splitlines()[start - 1:], start):
        body = line.split("#", 1)[0]
        if number == start:
            body = body.partition("[")[2]
        for item in body.split(","):
            if item.strip().strip("]").strip():
                if seen == index:
                    return number
                seen += 1
        if "]" in body:
            break
    return start


def _line_in(text: str, key: str, needle: str) -> int:
    """The line ``needle`` is on within the array ``key = [...]`` (anywhere in the file if not found there)."""
    start = _line_of(text, key)
    if start:
        for number, line in enumerate(text.splitlines()[start - 1:], start):
            body = line.split("#", 1)[0]
            if needle in body:
                return number
            if "]" in body:
                break
    return _line_of(text, needle)


def _line_of(text: str, needle: str) -> int:
    """The 1-based line a key or value first appears on outside comments (0 if nowhere)."""
    for number, line in enumerate(text.splitlines(), 1):
        if needle in line.split("#", 1)[0]:
            return number
    return 0


def schedule_to_toml(schedule: HolidaySchedule) -> str:
    """A schedule written back as the file an office imports (what ``show --toml`` prints)."""
    def days(values: tuple[date, ...]) -> str:
        inner = "".join(f"  {d.isoformat()},  # 星期{WEEKDAYS[d.weekday()]}\n" for d in sorted(values))
        return f"[\n{inner}]"
    return (f"year = {schedule.year}\ntitle = {_quoted(schedule.title)}\nnumber = {_quoted(schedule.number)}\n"
            f"holidays = {days(schedule.holidays)}\nworkdays = {days(schedule.workdays)}\n")


def _quoted(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def template(year: int) -> str:
    """A blank schedule file for ``year``: the notice's fields to fill in; weekends and fixed holidays as comments only."""
    fixed = _FIXED_SINCE_2025 if year >= 2025 else _FIXED_BEFORE_2025
    fixed_lines = "".join(f"#   {date(year, m, d).isoformat()}（星期{WEEKDAYS[date(year, m, d).weekday()]}）{name}\n"
                          for (m, d), name in fixed.items())
    weekends: list[str] = []
    day = date(year, 1, 1)
    while day.year == year:
        if day.weekday() >= 5:
            weekends.append(day.isoformat())
        day += timedelta(days=1)
    weekend_lines = "".join(f"#   {' '.join(weekends[i:i + 8])}\n" for i in range(0, len(weekends), 8))
    return f"""\
# {year} 年节假日安排：照抄国务院办公厅关于{year}年部分节假日安排的通知（中国政府网 www.gov.cn 公布）。
# 只填写通知中写明的日期，不要推算。填好后导入：xxgk register holidays import {year}.toml
# 日期写作 {year}-01-01，不加引号；以 # 开头的行是说明，不会被导入。

year = {year}
# 通知的标题和文号，将作为答复期限计算说明中工作日的依据：
title = "国务院办公厅关于{year}年部分节假日安排的通知"
number = ""   # 例：国办发明电〔{year - 1}〕N号，照通知填写

# 放假：通知中“放假调休，共X天”所列的每一天（含其中的周末），逐日列出。
holidays = [
]

# 调休上班：通知中写明“上班”的星期六、星期日。
workdays = [
]

# ---- 以下仅为提示，不是数据 ----
# 《全国年节及纪念日放假办法》第二条规定按公历日期放假的日子（必须列入 holidays）：
{fixed_lines}# 春节、清明节、端午节、中秋节按农历或节气确定，以通知为准。
# {year} 年的星期六、星期日（调休上班日只能从中选）：
{weekend_lines}"""
