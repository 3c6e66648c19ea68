"""The images a web page refers to: files beside it, or ``data:`` URIs (bytes only; no image library needed)."""

from __future__ import annotations

import base64
import binascii
import urllib.parse
from pathlib import Path

from xxgk.read.document import ImageSource

# An image a page refers to (a file beside it, a data: URI) larger than this is not read.
MAX_IMAGE_BYTES = 20 * 1024 * 1024


def data_uri_to_bytes(uri: str) -> bytes | None:
    """Turn a ``data:`` URI into the bytes it holds; None if it is not one, is malformed or too large."""
    head, comma, payload = uri.partition(",")
    if not comma or not head.lower().startswith("data:"):
        return None
    if len(payload) > MAX_IMAGE_BYTES * 4 // 3 + 4:
        return None
    if head.lower().endswith(";base64"):
        try:
            return base64.b64decode("".join(payload.split()), validate=False)
        except (binascii.Error, ValueError):
            return None
    return urllib.parse.unquote_to_bytes(payload)


def images_beside(folder: Path) -> ImageSource:
    """Make a resolver of ``<img src>`` to the files in ``folder`` (and below), or to ``data:`` URIs.

    Addresses on the web, absolute paths and paths leading out of the folder give None, as
    do files that are missing or larger than MAX_IMAGE_BYTES.
    """
    root = folder.resolve()

    def resolve(src: str) -> bytes | None:
        if src.lower().startswith("data:"):
            return data_uri_to_bytes(src)
        parts = urllib.parse.urlsplit(src)
        if parts.scheme or parts.netloc or not parts.path or parts.path.startswith(("/", "\\")):
            return None
        try:
            path = (root / urllib.parse.unquote(parts.path)).resolve()
            if not path.is_relative_to(root) or not path.is_file() or path.stat().st_size > MAX_IMAGE_BYTES:
                return None
            return path.read_bytes()
        except (OSError, ValueError):
            return None

    return resolve
