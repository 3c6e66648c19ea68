"""What ``xxgk ingest`` is given → the files and web addresses to read, one item each."""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # httpx is loaded only when an address is read
    from xxgk.model import Report
    from xxgk.read.fetch import Recorded
    from xxgk.read.fetch_http import FetchLimits

# Extensions looked for in folders (a file named on the command line is read whatever its name): every format the
# readers take, pictures too (a report published as screenshots or a WeChat long image).
KNOWN_SUFFIXES = frozenset({".txt", ".text", ".htm", ".html", ".shtml", ".xhtml", ".md", ".markdown", ".docx", ".doc",
                            ".wps", ".pdf", ".png", ".jpg", ".jpeg", ".gif", ".tif", ".tiff", ".bmp", ".webp"})
# A browser's "save page, complete" puts the page's pictures in ``页面_files`` beside ``页面.html``: they are read
# with the page, not as reports of their own.
_PAGE_FOLDER_ENDINGS = ("_files", ".files")
LIST_PREFIX = "@"


@dataclass(frozen=True, slots=True)
class Item:
    """One thing to read: a file (absolute path, with size and mtime for the resume check) or a URL.

    ``content`` and ``report_id`` are set when re-parsing a stored report from its stored bytes.
    ``reports`` are set when the document was read and checked already (the web's check page): every
    report it holds (a 汇编 several, as ``xxgk.parse_all`` reads them) is stored as it was checked, with
    ``content`` (the bytes checked) or, for a web address, without fetching it again (what the site
    answers now may not be what was checked).
    ``problem`` is set when the argument itself is wrong (no such file): the item fails as is.
    """

    source: str
    size: int | None = None
    mtime: float | None = None
    content: bytes | None = None
    report_id: int | None = None
    problem: str | None = None
    # For a URL: the download limits (the web application refuses private addresses).
    fetch_limits: FetchLimits | None = None
    reports: tuple[Report, ...] = ()
    # For a URL a harvest downloaded already: its responses (page, attachments, images), read offline.
    recorded: tuple[Recorded, ...] | None = None
    # For a URL a harvest found in a column list: the date printed beside its link there (ISO).
    listed: str | None = None

    @property
    def is_url(self) -> bool:
        return is_url(self.source)


def is_url(text: str) -> bool:
    """Tell a web address from a path."""
    return text.strip().lower().startswith(("http://", "https://"))


def expand_sources(arguments: list[str], lists: list[Path] | None = None,
                   passed: list[Path] | None = None) -> list[Item]:
    """Turn paths, folders (recursively), URLs and ``@list.txt`` files into items, each source once; the files
    of folders that are no report format are added to ``passed`` (to say so)."""
    items: list[Item] = []
    seen: set[str] = set()
    for arg in arguments:
        _expand(arg, Path.cwd(), items, seen, depth=0, passed=passed)
    for listing in lists or []:
        _expand(LIST_PREFIX + str(listing), Path.cwd(), items, seen, depth=0, passed=passed)
    return items


def _expand(arg: str, base: Path, items: list[Item], seen: set[str], depth: int,
            passed: list[Path] | None = None) -> None:
    """Add the items one argument stands for (a list file's lines are relative to the list's folder)."""
    arg = arg.strip()
    if not arg:
        return
    if is_url(arg):
        _add(Item(arg), items, seen)
        return
    if arg.startswith(LIST_PREFIX) and depth < 3:
        listing = _resolve(arg[len(LIST_PREFIX):], base)
        try:
            lines = listing.read_text(encoding="utf-8-sig").splitlines()
        except (OSError, UnicodeDecodeError) as err:
            _add(Item(str(listing), problem=f"无法读取列表文件：{listing}（{getattr(err, 'strerror', None) or err}）"),
                 items, seen)
            return
        for line in lines:
            if line.strip() and not line.lstrip().startswith("#"):
                _expand(line, listing.parent, items, seen, depth + 1, passed)
        return
    path = _resolve(arg, base)
    if path.is_dir():
        for found in sorted(_walk(path, passed)):
            _add(_file_item(found), items, seen)
    elif path.exists() or path.is_symlink():
        _add(_file_item(path), items, seen)
    else:
        _add(Item(str(path), problem=f"找不到文件或文件夹：{arg}"), items, seen)


def _walk(folder: Path, passed: list[Path] | None = None) -> list[Path]:
    """Report files under a folder (known extensions; hidden folders and files, README files, and a saved page's folder of
    pictures, left out); the other files are added to ``passed``."""
    out: list[Path] = []
    for root, dirs, files in os.walk(folder):
        dirs[:] = [d for d in dirs if not d.startswith(".") and not _page_folder(Path(root), d)]
        for f in files:
            if f.startswith(".") or Path(f).stem.lower() == "readme":  # a folder's notes, by convention
                continue
            (out if Path(f).suffix.lower() in KNOWN_SUFFIXES else passed if passed is not None else []).append(
                Path(root) / f)
    return out


def _page_folder(root: Path, name: str) -> bool:
    """A saved web page's own folder (``页面_files`` beside ``页面.html``)."""
    if not name.lower().endswith(_PAGE_FOLDER_ENDINGS):
        return False
    stem = name[: -len("_files")]
    return any((root / f"{stem}{suffix}").exists() for suffix in (".html", ".htm", ".shtml", ".xhtml"))


def _resolve(text: str, base: Path) -> Path:
    path = Path(text).expanduser()
    return Path(os.path.normpath((path if path.is_absolute() else base / path).absolute()))


def _file_item(path: Path) -> Item:
    """A file to read; a device, FIFO or socket (or a link to one) is refused here, before anyone opens it."""
    try:
        status = path.stat()
    except FileNotFoundError:
        return Item(str(path), problem=f"找不到文件（链接指向的文件不存在）：{path}")
    except OSError as err:
        return Item(str(path), problem=f"无法读取文件：{path}（{err.strerror or err}）")
    if not stat.S_ISREG(status.st_mode):
        return Item(str(path), problem=f"不是普通文件（设备、管道或指向它们的链接），已拒绝读取：{path}")
    return Item(str(path), size=status.st_size, mtime=status.st_mtime)


def _add(item: Item, items: list[Item], seen: set[str]) -> None:
    if item.source not in seen:
        seen.add(item.source)
        items.append(item)
