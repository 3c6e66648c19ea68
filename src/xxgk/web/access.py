"""Who may read what: the collection (everyone when public, signed-in users when private) and checked reports."""

from __future__ import annotations

from fastapi import HTTPException, Request

from xxgk.store.query import Filters, QueryError
from xxgk.web.auth import current_user, require_role
from xxgk.web.cache import Checked
from xxgk.web.state import web_state


def require_reader(request: Request) -> None:
    """Refuse (401) an anonymous visitor when the collection is private."""
    if not web_state(request).settings.public_collection and current_user(request) is None:
        raise HTTPException(401, "报告库不公开，请先登录")


def filters_from(year: int | None, region: str, level: str, errors: str, rule: str, agency: str) -> Filters:
    """The collection filters as the query string gives them (blank fields match all)."""
    try:
        return Filters(years=(year,) if year else (), region=region.strip() or None, level=level or None,
                       has_errors={"yes": True, "no": False}.get(errors), rule=rule.strip() or None,
                       agency=agency.strip() or None).validate()
    except QueryError as err:
        raise HTTPException(400, str(err)) from err


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
