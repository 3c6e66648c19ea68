"""The web application: check reports, browse the collection, run the register (``xxgk serve``).

>>> from xxgk.web import Settings, create_app
>>> app = create_app(Settings(db_url="sqlite:///xxgk.db"))   # an ASGI app for uvicorn

The web components are an optional extra (``pip install 'xxgk[web]'``): they are imported on use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from xxgk.web.app import create_app
    from xxgk.web.settings import Settings

__all__ = ["Settings", "create_app"]


def __getattr__(name: str) -> Any:
    """Import the application only when asked for (FastAPI is not needed by the rest of xxgk)."""
    if name == "create_app":
        from xxgk.web.app import create_app

        return create_app
    if name == "Settings":
        from xxgk.web.settings import Settings

        return Settings
    raise AttributeError(name)
