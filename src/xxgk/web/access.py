"""Who may read what: the collection (everyone when public, signed-in users when private) and checked reports."""

from __future__ import annotations

import re

from fastapi import HTTPException, Request

from xxgk.check.rule_ids import UnknownRule, rule_ids
from xxgk.store.query import Filters, QueryError
from xxgk.web.auth import current_user, require_role
from xxgk.web.cache import Checked
from xxgk.web.state import web_state


def require_reader(request: Request) -> None:
    """Refuse (401) an anonymous visitor when the collection is private."""
    if not web_state(request).settings.public_collection and current_user(request) is None:
        raise HTTPException(401, "报告库不公开，请先登录")


_RULE_SEPARATORS = re.compile(r"[\s,，、;；]+")


def filters_from(year: int | None, region: str, level: str, errors: str, rule: str, agency: str) -> Filters:
    """The collection filters as the query string gives them (blank fields match all); a wrong one is a 400
    saying what is wrong in Chinese."""
    try:
        return Filters(years=(year,) if year else (), region=region.strip() or None, level=level or None,
                       has_errors={"yes": True, "no": False}.get(errors), rule=web_rules(rule) or None,
                       agency=agency.strip() or None).validate()
    except QueryError as err:
        raise HTTPException(400, str(err)) from err


def web_rules(text: str) -> tuple[str, ...]:
    """The rule ids of the rule field: several, separated by commas, 、 or spaces, in any case (the same check as
    ``--rule``); unknown ones are a QueryError naming, for each, the closest known ids."""
    parts = [part for part in _RULE_SEPARATORS.split(text) if part]
    wrong = []
    for part in parts:
        try:
            rule_ids([part])
        except UnknownRule as err:
            wrong.append(str(err))
    if wrong:
        raise QueryError(f"规则筛选：{'。'.join(wrong)}（不分大小写；多条规则以逗号或空格分隔，符合其中任一条即可）")
    return rule_ids(parts)


def rule_field(filters: Filters | None, typed: str) -> str:
    """What the rule field shows: the ids as the registry spells them, or the text as typed when it was wrong."""
    return ",".join(filters.rules) if filters is not None else typed


def page_filters(year: int | None, region: str, level: str, errors: str, rule: str,
                 agency: str) -> tuple[Filters | None, str | None]:
    """The filters for a page, or None and why they are wrong (shown on the page above its form's results)."""
    try:
        return filters_from(year, region, level, errors, rule, agency), None
    except HTTPException as err:
        return None, str(err.detail)


def kept_report(request: Request, token: str, expired: str) -> Checked:
    """The checked report kept under ``token``, if this user may see it: the one rule for every page showing one.

    A report built from the register is for the roles that may build it, at whatever address it
    is asked for (``/check/…`` as ``/register/report/…``); an uploaded one for whoever holds its token.
    """
    found = web_state(request).cache.get(token)
    if found is not None and found.readers is not None:
        require_role(request, found.readers)
    if found is None:
        raise HTTPException(404, expired)
    return found
