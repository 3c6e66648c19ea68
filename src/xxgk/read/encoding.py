"""Turning the bytes of a text or HTML file into a string, whatever Chinese encoding it uses."""

from __future__ import annotations

import codecs
import functools
import re
from typing import NamedTuple

from xxgk.read.document import ReadError

# Byte order marks, longest first: the UTF-32-LE mark starts with the UTF-16-LE one.
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# Encodings scored, in order of preference, when the bytes are not strictly UTF-8. UTF-8 is
# back in the running for files with a few broken bytes; GB18030 is a superset of GB2312 and
# GBK; CP950 is Big5 as Windows writes it; Big5-HKSCS adds the Hong Kong characters.
_FALLBACKS = ("utf-8", "gb18030", "cp950", "big5hkscs")
_BIG5_FAMILY = ("cp950", "big5hkscs")

# Declared charset labels (HTML meta, XML declaration) mapped to the codecs worth trying.
# fmt: off
_GB_LABELS = (
    "gb2312", "gbk", "gb18030", "x-gbk", "cp936", "ms936", "windows-936", "gb_2312-80", "gb_2312",
    "gb-2312", "euc-cn", "csgb2312", "chinese", "iso-ir-58", "csiso58gb231280",
)
_BIG5_LABELS = ("big5", "big-5", "cn-big5", "x-x-big5", "csbig5", "cp950", "ms950", "windows-950")
_HKSCS_LABELS = ("big5-hkscs", "big5hkscs", "hkscs")
# fmt: on
_DECLARED: dict[str, tuple[str, ...]] = {
    **dict.fromkeys(_GB_LABELS, ("gb18030",)),
    **dict.fromkeys(_BIG5_LABELS, _BIG5_FAMILY),
    **dict.fromkeys(_HKSCS_LABELS, ("big5hkscs", "cp950")),
}

# Below this plausibility a decoding is taken for mojibake (a correct one scores close to 1).
_MIN_PLAUSIBILITY = 0.75
# Two decodings closer than this are a tie, won by the earlier (more common) encoding.
_TIE = 0.05
# Enough non-ASCII characters to judge an encoding by; scoring a whole 50 MB file would only
# cost time.
_SAMPLE_CHARS = 200_000
# Printable ASCII and ordinary white space say nothing about the encoding.
_PLAIN_ASCII = re.compile(r"[\x20-\x7e\t\n\r]+")
# Control bytes other than tab, newlines, form feed and the old DOS end-of-file marker.
_CONTROL_BYTES = bytes(sorted(set(range(0x20)) - {0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x1A} | {0x7F}))
_MAX_CONTROL_SHARE = 0.01
# A file in two encodings is divided where no character of UTF-8, GB18030 or Big5 can be cut: after a
# newline or a ``>`` (neither is ever a byte of a multi-byte character), so a minified page divides too.
_REGION = re.compile(rb"[^\n>]*(?:[\n>]|\Z)")
_UTF8_IDEOGRAPHS = re.compile(rb"(?:[\xe4-\xe9][\x80-\xbf]{2}){3}")
_LEGACY_NAMES = {"gb18030": "GB18030（GBK）", "cp950": "Big5", "big5hkscs": "Big5-HKSCS"}
_NOTED_SPANS = 3


class Decoded(NamedTuple):
    """A file's text, and whether it is its bytes read as UTF-8 as they are (no BOM, nothing replaced):
    then the bytes are the text's UTF-8 form, and a consumer that wants UTF-8 can take them instead.
    ``notes``: what a reviewer should know of the decoding (in Chinese), as ``Document.notes`` holds them."""

    text: str
    utf8: bool
    notes: tuple[str, ...] = ()


def decode(raw: bytes, declared: str | None = None) -> str:
    """Turn file bytes into text: BOM, then the declared charset, UTF-8, GB18030 or Big5."""
    return decode_bytes(raw, declared).text


def decode_bytes(raw: bytes, declared: str | None = None) -> Decoded:
    """Turn file bytes into text as ``decode`` does, saying whether they were UTF-8 as they are."""
    bom = _bom_codec(raw)
    if bom is not None:
        return Decoded(_non_empty(_decode_bom(raw, bom)), False)
    if not raw or raw.isspace():  # bytes.isspace() is ASCII white space only, as the strip was: no copy
        raise ReadError("文件为空")
    if b"\x00" in raw:
        return Decoded(_non_empty(_decode_utf16_without_bom(raw)), False)
    _reject_control_bytes(raw)

    declared_codecs = _declared_codecs(declared)
    declared_text = _first_strict(raw, declared_codecs) if declared_codecs else None
    if declared_text is not None and declared_codecs == ("utf-8",):
        return Decoded(_non_empty(declared_text), True)
    if declared_text is not None and _plausibility(declared_text) >= _MIN_PLAUSIBILITY:
        # GB18030 reads almost any bytes: a UTF-8 block in a GBK page decodes too, as nonsense.
        return Decoded(_non_empty(declared_text), False) if (mixed := _mixed(raw, declared_text)) is None else mixed

    try:
        return Decoded(_non_empty(raw.decode("utf-8")), True)
    except UnicodeDecodeError:
        pass

    text = _best_fallback(raw)
    if text is None:
        # The page said what it is and the bytes agree; trust it over our guesswork.
        text = declared_text
    mixed = _mixed(raw, text)
    if mixed is not None:
        return mixed
    if text is None:
        raise ReadError("无法识别文件编码：不是 UTF-8、UTF-16、GB18030（GBK）或 Big5 编码的文本")
    return Decoded(_non_empty(text), False)


def damage_notes(text: str) -> list[str]:
    """Turn decoded text into notes (in Chinese) about bytes that could not be decoded."""
    broken = text.count("\ufffd")
    if not broken:
        return []
    return [f"文件中有 {broken} 处字节无法按其编码解读，已替换为“\ufffd”"]


def _bom_codec(raw: bytes) -> str | None:
    """Turn a leading byte order mark into the codec it announces, or None."""
    for bom, codec in _BOMS:
        if raw.startswith(bom):
            return codec
    return None


def _decode_bom(raw: bytes, codec: str) -> str:
    """Turn BOM-marked bytes into text without the BOM, failing with a Chinese message."""
    body = raw[len(next(bom for bom, c in _BOMS if c == codec)) :]
    try:
        return body.decode(codec)
    except UnicodeDecodeError:
        # A few broken bytes (a truncated download) should not lose the document.
        text = body.decode(codec, errors="replace")
    if _plausibility(text) < _MIN_PLAUSIBILITY:
        raise ReadError(f"文件开头标明为 {codec.upper()} 编码，但内容无法按此编码解读")
    return text


def _non_empty(text: str) -> str:
    """Return the text, or fail when there is nothing but white space in it."""
    if not text or text.isspace():  # stops at the first other character: no copy of a whole page
        raise ReadError("文件为空")
    return text


def _decode_utf16_without_bom(raw: bytes) -> str:
    """Turn NUL-bearing bytes into text if they are UTF-16 without a BOM, else reject them."""
    if len(raw) % 2 == 0:
        # ASCII characters put their NUL in the high byte: odd positions for little endian.
        odd_nuls = raw[1::2].count(0)
        even_nuls = raw[0::2].count(0)
        codec = "utf-16-le" if odd_nuls >= even_nuls else "utf-16-be"
        try:
            text = raw.decode(codec)
        except UnicodeDecodeError:
            text = None
        if text is not None and _plausibility(text) >= _MIN_PLAUSIBILITY:
            return text
    raise ReadError("文件不是文本：含有空字节（NUL），可能是二进制文件")


def _reject_control_bytes(raw: bytes) -> None:
    """Fail when the bytes hold too many control characters to be text."""
    sample = raw[: _SAMPLE_CHARS * 2]
    if not any(map(sample.__contains__, _CONTROL_BYTES)):  # most files have none: a memchr per value, no copy
        return
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    if controls > _MAX_CONTROL_SHARE * len(sample):
        raise ReadError("文件不是文本：含有大量控制字符，可能是二进制文件")


def _declared_codecs(declared: str | None) -> tuple[str, ...]:
    """Turn a declared charset label into the codecs to try for it (empty when unusable)."""
    if not declared:
        return ()
    label = declared.strip().strip("\"'").lower()
    if label in _DECLARED:
        return _DECLARED[label]
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return ()
    # A page cannot really be UTF-16 if we read its meta tag as ASCII: browsers assume UTF-8.
    if name.startswith(("utf-16", "utf-32")) or name in ("utf-8", "utf-8-sig"):
        return ("utf-8",)
    return (name,)


def _first_strict(raw: bytes, candidates: tuple[str, ...]) -> str | None:
    """Turn bytes into text with the first codec that decodes them without error, or None."""
    for codec in candidates:
        try:
            return raw.decode(codec)
        except UnicodeDecodeError:
            continue
    return None


def _best_fallback(raw: bytes) -> str | None:
    """Turn non-UTF-8 bytes into text with the most plausible Chinese encoding, or None."""
    best: tuple[float, str] | None = None
    for codec in _FALLBACKS:
        try:
            text = raw.decode(codec)
        except UnicodeDecodeError:
            # A few broken bytes should not lose a document; the penalty for U+FFFD tells
            # a mostly right decoding from a wrong one.
            text = raw.decode(codec, errors="replace")
        score = _plausibility(text)
        if best is None or score > best[0] + _TIE:
            best = (score, text)
    if best is None or best[0] < _MIN_PLAUSIBILITY:
        return None
    return best[1]


def _mixed(raw: bytes, whole: str | None) -> Decoded | None:
    """Turn bytes in two encodings (UTF-8 regions in a GBK or Big5 file, or the reverse) into text region
    by region, when that reads better than ``whole`` (the file in one encoding, None if none reads);
    None when the file is in one encoding."""
    # A crawler stitching pages, or a CMS pasting a block into a page of another encoding, makes such files.
    # Without a run of UTF-8 ideographs (three ideographs are nine bytes in step: rare by chance in
    # GBK or Big5) the file is not worth dividing.
    if _UTF8_IDEOGRAPHS.search(raw) is None:
        return None
    regions = _REGION.findall(raw)
    legacy = _best_legacy(b"".join(r for r in regions if not _is_utf8(r)))
    if legacy is None:
        return None
    parts: list[str] = []
    utf8_lines: set[int] = set()
    legacy_read = False
    line = 1  # a region holds at most one newline, at its end
    for region in regions:
        text = _read_region(region, legacy)
        if text is not None:
            utf8_lines.add(line)
        else:
            text = region.decode(legacy, errors="replace")
            legacy_read = legacy_read or not region.isascii()
        parts.append(text)
        line += region.endswith(b"\n")
    text = "".join(parts)
    if not (utf8_lines and legacy_read) or text.isspace() or _plausibility(text) < _MIN_PLAUSIBILITY:
        return None
    if whole is not None and _plausibility(text) <= _plausibility(whole) + _TIE:
        return None
    return Decoded(text, False, (_mixed_note(legacy, sorted(utf8_lines)),))


def _best_legacy(raw: bytes) -> str | None:
    """The Chinese encoding other than UTF-8 that reads these bytes most plausibly, or None."""
    best: tuple[float, str] | None = None
    for codec in _FALLBACKS[1:]:
        score = _plausibility(raw.decode(codec, errors="replace"))
        if best is None or score > best[0] + _TIE:
            best = (score, codec)
    return best[1] if best is not None and best[0] >= _MIN_PLAUSIBILITY else None


def _is_utf8(region: bytes) -> bool:
    """Whether a region of a file is UTF-8 with characters beyond ASCII."""
    if region.isascii():
        return False
    try:
        region.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _read_region(region: bytes, legacy: str) -> str | None:
    """A region's text if it is UTF-8 (and reads better so than in ``legacy``), else None."""
    if not _is_utf8(region):
        return None
    text = region.decode("utf-8")
    try:
        other = region.decode(legacy)
    except UnicodeDecodeError:
        return text
    # Short GBK runs can be valid UTF-8 by chance; what they make then is not Chinese.
    return text if _plausibility(text) > _plausibility(other) else None


def _mixed_note(legacy: str, lines: list[int]) -> str:
    """The note on a file read in two encodings: which lines were UTF-8."""
    spans: list[list[int]] = []
    for n in lines:
        if spans and n == spans[-1][1] + 1:
            spans[-1][1] = n
        else:
            spans.append([n, n])
    shown = "、".join(f"第{a}行" if a == b else f"第{a}–{b}行" for a, b in spans[:_NOTED_SPANS])
    more = "等" if len(spans) > _NOTED_SPANS else ""
    name = _LEGACY_NAMES.get(legacy, legacy.upper())
    space = "" if name.endswith("）") else " "  # a space between Latin and Chinese, none after a bracket
    return (f"文件混用了两种编码（多见于网页拼接）：{shown}{more}按 UTF-8 解读，其余按 {name}{space}解读；"
            "请核对这些行的文字和数字")


def _plausibility(text: str) -> float:
    """Turn decoded text into a score: share of common Chinese characters among non-ASCII ones."""
    common = _common_chinese()
    total = good = bad = 0
    # Look past long ASCII stretches (markup, numbers) for the characters that tell.
    sample = _PLAIN_ASCII.sub("", text[: _SAMPLE_CHARS * 20])[:_SAMPLE_CHARS]
    for ch in sample:
        code = ord(ch)
        if code < 0x80:
            if code in _CONTROL_BYTES:
                total += 1
                bad += 1
            continue
        if ch.isspace():
            continue
        total += 1
        if ch in common or _is_common_punctuation(code):
            good += 1
        elif code == 0xFFFD or 0xE000 <= code <= 0xF8FF or 0x80 <= code <= 0x9F:
            # Replacement characters, private use (where GB18030 puts Big5 punctuation) and
            # C1 controls are what wrong decodings are made of.
            bad += 1
    if total == 0:
        return 1.0
    return (good - 2 * bad) / total


def _is_common_punctuation(code: int) -> bool:
    """Tell whether a code point is punctuation ordinary in Chinese text."""
    return (
        0x3000 <= code <= 0x303F  # CJK punctuation: 、。《》【】
        or 0xFF01 <= code <= 0xFF5E  # full-width forms: ，：；（）０-９
        or 0x2010 <= code <= 0x2027  # dashes, quotes “”‘’, ellipsis
        or code in (0x00B7, 0x00D7, 0x2030, 0x2103, 0x2116, 0x25CB, 0x3007)  # ·×‰℃№○〇
        or 0x2460 <= code <= 0x249B  # circled and parenthesised numbers ①⑴⒈
    )


@functools.cache
def _common_chinese() -> frozenset[str]:
    """Build the set of frequent characters: GB2312 level 1 (simplified) and Big5 level 1."""
    # GB2312 level 1 (rows 0xB0-0xD7) holds the 3755 most frequent simplified characters,
    # Big5 level 1 (0xA440-0xC67E) the 5401 frequent traditional ones.
    # Decoded pair by pair so that one unassigned code cannot shift the rest out of step.
    chars = set(_decode_pairs("gb2312", range(0xB0, 0xD8), range(0xA1, 0xFF)))
    chars.update(_decode_pairs("big5", range(0xA4, 0xC7), [*range(0x40, 0x7F), *range(0xA1, 0xFF)]))
    chars.discard("\ufffd")
    return frozenset(c for c in chars if ord(c) >= 0x80)


def _decode_pairs(codec: str, leads: range, trails: range | list[int]) -> list[str]:
    """Turn every two-byte code of a double-byte codec into its character, skipping gaps."""
    out: list[str] = []
    for lead in leads:
        for trail in trails:
            try:
                out.append(bytes((lead, trail)).decode(codec))
            except UnicodeDecodeError:
                continue
    return out
