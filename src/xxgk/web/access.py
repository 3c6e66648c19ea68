"""Who may read the collection: everyone when it is public, signed-in users when it is private."""

from __future__ import annotations

from fastapi import HTTPException, Request

from xxgk.store.query import Filters, QueryError
from xxgk.web.auth import current_user
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
