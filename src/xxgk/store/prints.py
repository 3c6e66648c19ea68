"""A report's free text → its fingerprints: character 5-gram shingles and MinHash signatures of sections 一、五、六.

Pure functions of the report's contract JSON, so the ingest workers compute them next to the
parse and the writer only stores them (``reports.prints``) and puts them in its index.

- a section's text is reduced to Chinese characters and Latin letters (digits dropped, so a copy
  with this year's numbers still matches), the statutory headings of the declaration removed;
- it becomes the sorted set of its character 5-grams, each hashed to 32 bits with numpy;
- the MinHash signature of that set (datasketch, ``NUM_PERM`` values below 2**32) estimates the
  Jaccard similarity of two sections without their shingles.

Packed form (``pack``/``unpack``): little-endian uint32 — ``PRINT_VERSION``, then per section
its number of shingles and of signature values, then those arrays in the same order. A stored
pack of another version is recomputed from the report's text.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

import numpy as np

from xxgk.parse.normalize import to_simplified
from xxgk.templates import statutory

SECTIONS = ("overview", "problems", "other")  # 一、五、六: the free text every report writes
SHINGLE = 5
NUM_PERM = 128
# Bump when what a print holds changes (cleaning, hashing, permutations): stored ones are recomputed.
PRINT_VERSION = 1

_KEEP = re.compile(r"[^\u3400-\u9fffA-Za-z]+")
_MIX = np.uint64(0x9E3779B97F4A7C15)
_BASE = np.uint64(1_000_003)
_SEED = 1
_SCHEME = "affine32"  # datasketch's permutation scheme: hash values below 2**32

Shingles = np.ndarray[Any, np.dtype[np.uint32]]
Signature = np.ndarray[Any, np.dtype[np.uint32]]
Print = tuple[Shingles, Signature | None]  # a section's shingles, and its signature when it has any


@cache
def _headings() -> re.Pattern[str]:
    """The statutory section headings and their variants, as they read after ``clean_text``'s reduction."""
    words = {_KEEP.sub("", w) for s in statutory().sections for w in (s.heading, *s.keywords)}
    return re.compile("|".join(sorted((re.escape(w) for w in words if w), key=len, reverse=True)))


def clean_text(text: str) -> str:
    """Turn a section's text into what is compared: simplified Chinese characters and letters, no headings."""
    return _headings().sub("", _KEEP.sub("", to_simplified(text)))


def shingles(text: str) -> Shingles:
    """Turn a text into the sorted set of its character 5-grams, each hashed to 32 bits."""
    codes = np.frombuffer(clean_text(text).encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    if len(codes) < SHINGLE:
        return np.empty(0, dtype=np.uint32)
    width = len(codes) - SHINGLE + 1
    hashed = np.zeros(width, dtype=np.uint64)
    with np.errstate(over="ignore"):  # arithmetic modulo 2**64 is the point
        for k in range(SHINGLE):
            hashed = hashed * _BASE + codes[k:k + width]
        mixed = (hashed * _MIX) >> np.uint64(32)
    return np.unique(mixed.astype(np.uint32))


@cache
def _permutations() -> Any:
    """datasketch's permutations for ``NUM_PERM`` and the seed, drawn once per process (not per signature)."""
    from datasketch import MinHash  # here: it imports scipy (half a second), which queries never need

    return MinHash(num_perm=NUM_PERM, seed=_SEED, scheme=_SCHEME).permutations


def signature(values: Shingles) -> Signature:
    """The MinHash signature of a shingle set (the shingles are hashes already): ``NUM_PERM`` values < 2**32."""
    from datasketch import MinHash

    minhash = MinHash(num_perm=NUM_PERM, seed=_SEED, hashfunc=int, permutations=_permutations(),
                      scheme=_SCHEME)
    minhash.update_batch(values.tolist())
    found: Signature = minhash.hashvalues.astype(np.uint32)
    return found


def section_texts(data: dict[str, Any]) -> dict[str, str]:
    """The texts of sections 一、五、六 in a report's contract JSON ('' when missing)."""
    sections = data.get("sections") or {}
    return {k: str((sections.get(k) or {}).get("text") or "") for k in SECTIONS}


def prints_of(texts: dict[str, str]) -> dict[str, Print]:
    """Turn section texts into their prints."""
    out: dict[str, Print] = {}
    for kind in SECTIONS:
        found = shingles(texts.get(kind, ""))
        out[kind] = (found, signature(found) if len(found) else None)
    return out


def pack(prints: dict[str, Print]) -> bytes:
    """Turn prints into the bytes stored in ``reports.prints``."""
    header = [PRINT_VERSION]
    parts: list[np.ndarray[Any, np.dtype[np.uint32]]] = []
    for kind in SECTIONS:
        found, sig = prints[kind]
        header += [len(found), 0 if sig is None else len(sig)]
        parts += [found] if sig is None else [found, sig]
    return np.concatenate([np.array(header, dtype="<u4"), *(p.astype("<u4") for p in parts)]).tobytes()


def unpack(raw: bytes | None) -> dict[str, Print] | None:
    """Turn stored bytes back into prints (views on the bytes); None when absent, damaged or of another version."""
    if not raw or len(raw) % 4:
        return None
    values = np.frombuffer(raw, dtype="<u4")
    head = 1 + 2 * len(SECTIONS)
    if len(values) < head or int(values[0]) != PRINT_VERSION:
        return None
    sizes = [int(v) for v in values[1:head]]
    if len(values) != head + sum(sizes) or any(s not in (0, NUM_PERM) for s in sizes[1::2]):
        return None
    out: dict[str, Print] = {}
    at = head
    for i, kind in enumerate(SECTIONS):
        count, width = sizes[2 * i], sizes[2 * i + 1]
        found = values[at:at + count]
        at += count
        out[kind] = (found, values[at:at + width] if width else None)
        at += width
    return out


def report_prints(data: dict[str, Any]) -> bytes:
    """Turn a report's contract JSON into its packed prints (what the workers ship to the writer)."""
    return pack(prints_of(section_texts(data)))
