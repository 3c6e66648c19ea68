"""A stand-in for the fonts a PDF names but does not hold, so that PDFium can lay out their text.

Chinese PDFs often leave their fonts out of the file (仿宋_GB2312, FZFSK--GBK1-0, 宋体, …). PDFium
then asks the system for a font of that name; when the system has none (most servers, and any
machine for names like these) it falls back to a Latin font without Chinese glyphs, gives every
Chinese character no extent, and leaves it out of the page's text. The characters' codes, their
Unicode text (the file's ToUnicode maps) and their widths (the file's /W arrays) are all in the
file: only a glyph with some extent is missing. This module gives PDFium one: a tiny TrueType font,
built here, whose every character is the same box. Fonts the system does have are still used.
"""

from __future__ import annotations

import ctypes
import struct
import threading
from typing import Any

import pypdfium2.raw as pdfium_c  # type: ignore[import-untyped]

# The PDF standard 14 fonts: PDFium has its own, better than any box.
_STANDARD = ("Times", "Helvetica", "Courier", "Symbol", "ZapfDingbats")
_FACE = b"XXGK Box"


def box_font() -> bytes:
    """A TrueType font with one glyph, a box, for every character (a format 13 cmap)."""
    units, ascent, descent = 1000, 880, -120
    box = struct.pack(">hhhhh", 1, 50, descent, 950, ascent - 80)  # one contour and its bounds
    box += struct.pack(">HH", 3, 0)  # last point of the contour; no instructions
    box += bytes([0x01] * 4)  # four points on the curve, coordinates as 16-bit deltas
    box += struct.pack(">hhhh", 50, 900, 0, -900)  # x deltas
    box += struct.pack(">hhhh", descent, 0, ascent - 80 - descent, 0)  # y deltas
    box += b"\0" * (-len(box) % 4)
    cmap = struct.pack(">HH", 0, 1) + struct.pack(">HHI", 3, 10, 12)
    cmap += struct.pack(">HHIII", 13, 0, 28, 0, 1) + struct.pack(">III", 0x20, 0x10FFFF, 1)
    name_record = _FACE.decode().encode("utf-16-be")
    name = struct.pack(">HHH", 0, 2, 6 + 2 * 12)
    name += struct.pack(">HHHHHH", 3, 1, 0x409, 1, len(name_record), 0)  # family
    name += struct.pack(">HHHHHH", 3, 1, 0x409, 4, len(name_record), 0)  # full name
    name += name_record
    tables = {
        b"cmap": cmap,
        b"glyf": box,
        # (indexToLocFormat 0: short glyph offsets; glyphDataFormat 0)
        b"head": struct.pack(">IIIIHHqqhhhhHHhhh", 0x00010000, 0x00010000, 0, 0x5F0F3CF5, 3, units, 0, 0,
                             50, descent, 950, ascent, 0, 8, 2, 0, 0),
        b"hhea": struct.pack(">IhhhHhhhhhhhhhhhH", 0x00010000, ascent, descent, 0, units, 0, 0, 950,
                             1, 0, 0, 0, 0, 0, 0, 0, 2),
        b"hmtx": struct.pack(">HhHh", units, 0, units, 50),
        b"loca": struct.pack(">HHH", 0, 0, len(box) // 2),
        b"maxp": struct.pack(">IHHHHHHHHHHHHHH", 0x00010000, 2, 4, 1, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0),
        b"name": name,
        b"post": struct.pack(">IIhhIIIII", 0x00030000, 0, -100, 50, 0, 0, 0, 0, 0),
    }
    count = len(tables)
    directory = struct.pack(">IHHHH", 0x00010000, count, 128, 3, count * 16 - 128)
    offset = 12 + 16 * count
    records, data = b"", b""
    for tag in sorted(tables):
        body = tables[tag]
        padded = body + b"\0" * (-len(body) % 4)
        records += struct.pack(">4sIII", tag, _checksum(padded), offset + len(data), len(body))
        data += padded
    return directory + records + data


def _checksum(data: bytes) -> int:
    return int(sum(struct.unpack(f">{len(data) // 4}I", data))) & 0xFFFFFFFF


class _StandIn:
    """PDFium's system font info: the system's own fonts first, the box for names it does not know."""

    def __init__(self) -> None:
        self.font = box_font()
        self.handle = ctypes.create_string_buffer(1)  # our font's handle: an address nobody else has
        self.address = ctypes.addressof(self.handle)
        self.system = pdfium_c.FPDF_GetDefaultSystemFontInfo()
        info = pdfium_c.FPDF_SYSFONTINFO()
        info.version = 1
        fields = dict(pdfium_c.FPDF_SYSFONTINFO._fields_)
        system = self.system.contents if self.system else None

        def delegate(name: str, fallback: Any) -> Any:
            call = getattr(system, name) if system is not None else None
            return (lambda *args: call(self.system, *args[1:])) if call else fallback

        default_map = delegate("MapFont", lambda *args: None)
        default_data = delegate("GetFontData", lambda *args: 0)
        default_face = delegate("GetFaceName", lambda *args: 0)
        default_charset = delegate("GetFontCharset", lambda *args: 0)
        default_delete = delegate("DeleteFont", lambda *args: None)

        def map_font(this: Any, weight: int, italic: int, charset: int, pitch: int, face: Any, exact: Any) -> Any:
            found = default_map(this, weight, italic, charset, pitch, face, exact)
            if found:
                return found
            name = ctypes.string_at(face).decode("latin-1").split("+")[-1]
            return None if name.startswith(_STANDARD) else self.address

        def font_data(this: Any, font: Any, table: int, buffer: Any, size: int) -> int:
            if font != self.address:
                return int(default_data(this, font, table, buffer, size))
            if table != 0:
                return 0
            if buffer and size >= len(self.font):
                ctypes.memmove(buffer, self.font, len(self.font))
            return len(self.font)

        def face_name(this: Any, font: Any, buffer: Any, size: int) -> int:
            if font != self.address:
                return int(default_face(this, font, buffer, size))
            if buffer and size > len(_FACE):
                ctypes.memmove(buffer, _FACE + b"\0", len(_FACE) + 1)
            return len(_FACE) + 1

        def charset(this: Any, font: Any) -> int:
            return 0 if font == self.address else int(default_charset(this, font))

        def delete(this: Any, font: Any) -> None:
            if font != self.address:
                default_delete(this, font)

        # Kept on self: PDFium calls them for as long as the process lives.
        self.callbacks = {
            "Release": fields["Release"](lambda this: None),
            "EnumFonts": fields["EnumFonts"](delegate("EnumFonts", lambda *args: None)),
            "MapFont": fields["MapFont"](map_font),
            "GetFont": fields["GetFont"](delegate("GetFont", lambda *args: None)),
            "GetFontData": fields["GetFontData"](font_data),
            "GetFaceName": fields["GetFaceName"](face_name),
            "GetFontCharset": fields["GetFontCharset"](charset),
            "DeleteFont": fields["DeleteFont"](delete),
        }
        for name, callback in self.callbacks.items():
            setattr(info, name, callback)
        self.info = info


_installed: _StandIn | None = None
_lock = threading.Lock()


def install_stand_in_fonts() -> None:
    """Give PDFium the box font for fonts that are neither in the file nor on the system (once per process)."""
    global _installed
    with _lock:
        if _installed is None:
            _installed = _StandIn()
            pdfium_c.FPDF_SetSystemFontInfo(ctypes.byref(_installed.info))
