"""What counts as a web address where a path is also accepted (the API, the watched process, the CLI)."""

from __future__ import annotations

import re
from typing import TypeGuard

# Any scheme counts, so that ftp://… is told it is not supported rather than looked for as a file.
WEB_ADDRESS = re.compile(r"\s*[A-Za-z][A-Za-z0-9+.-]*://")


def is_web_address(source: object) -> TypeGuard[str]:
    """Whether ``source`` is a string naming a web address (``scheme://…``)."""
    return isinstance(source, str) and WEB_ADDRESS.match(source) is not None
