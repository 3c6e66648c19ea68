"""Crops of one line of text → their text and confidence, numbers judged as numbers.

The recogniser is PP-OCR's text recognition model as RapidOCR ships it inside its wheel
(``rapidocr`` 3.x: PP-OCRv6 small; the older ``rapidocr-onnxruntime`` 1.4: PP-OCRv4), run
directly on ONNX Runtime with one thread. Only line crops are recognised, never a whole page:
the cells of a table are found from its rules (``ruling.py``) and cut with their borders left
out (``lines.py``), so no text detection is needed. Cost grows with the crops' total width at
the model's height of 48 pixels, so crops are tight and batched by width.

Each crop's character probabilities are decoded twice: freely, and restricted to what a
number is written with. When the free reading is a number (letters that look like digits
allowed: the model hesitates between "0" and "O", which for a table cell is no doubt at all),
the restricted reading stands; otherwise the free one does ("/", "—", "无" stay what they are).
A reading's confidence is that of its least sure character, where a character is unsure when
another character competes for its place, and a place read as empty is unsure when a
character competes for it (a digit the model may have dropped).
"""

from __future__ import annotations

import importlib.util
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import cv2
import numpy as np
from numpy.typing import NDArray

# The model's input height, and the height of a crop's ink in it (the rest is margin).
HEIGHT = 48
# What a number in a report is written with (thousands separators, decimals, signs).
NUMERIC = "0123456789.,-+"
# Characters the recogniser reads for digits in a number's place (full-width digits too).
LOOKALIKE = {"o": "0", "O": "0", "D": "0", "〇": "0", "Q": "0", "l": "1", "I": "1", "|": "1", "丨": "1",
             "，": ",", "。": ".", "－": "-", "—": "-", "＋": "+", **{chr(0xFF10 + d): str(d) for d in range(10)}}
# Characters that stand for "nothing" or "not applicable" in a cell: never read again as digits.
MARKS = "一无空"
# Blank, then the numeric characters: the classes of a number's decoding.
NUMERIC_ALPHABET = ("", *NUMERIC)
# Crops per batch (all of one width), and the step crop widths are rounded up to with white.
BATCH = 16
WIDTH_STEP = 16
# The model files inside the packages that ship them, newest first.
MODELS = (("rapidocr", "models/PP-OCRv6_rec_small.onnx"),
          ("rapidocr_onnxruntime", "models/ch_PP-OCRv4_rec_infer.onnx"))


@dataclass(frozen=True, slots=True)
class Reading:
    """What a crop reads as: its text and the confidence of its least sure character (0-1)."""

    text: str
    confidence: float
    number: bool  # read as a number (the digits-only decoding stood)


def model_file() -> Path | None:
    """The recognition model of the installed RapidOCR package (found without importing it), or None."""
    for package, relative in MODELS:
        try:
            spec = importlib.util.find_spec(package)
        except (ImportError, ValueError):
            continue
        if spec is None or not spec.submodule_search_locations:
            continue
        for folder in spec.submodule_search_locations:
            path = Path(folder) / relative
            if path.is_file():
                return path
    return None


class Recogniser:
    """PP-OCR text recognition on ONNX Runtime (one thread): line crops → readings."""

    def __init__(self, path: Path) -> None:
        import onnxruntime

        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        options.log_severity_level = 3
        self._session = onnxruntime.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
        self._input = self._session.get_inputs()[0].name
        characters = self._session.get_modelmeta().custom_metadata_map["character"].splitlines()
        # Class 0 is CTC's blank; a space closes the alphabet (as PaddleOCR's decoder adds them).
        self.alphabet: tuple[str, ...] = ("", *characters, " ")
        self._numeric = _numeric_classes(self.alphabet)

    def read(self, crops: Sequence[NDArray[np.uint8]], digits: Sequence[bool] | None = None) -> list[Reading]:
        """Read one line of text in each greyscale crop (dark ink on white, tight, with a margin).

        ``digits``: per crop, whether it can only hold a number or a mark (no Chinese character
        is that low): a reading in letters is then read again as digits.
        """
        scaled = [_to_width(_to_height(c)) for c in crops]
        out: list[Reading] = [Reading("", 0.0, False)] * len(scaled)
        # Crops of one width go together: none is padded with anything but its own white, so a
        # reading never depends on what else was in the batch.
        by_width: dict[int, list[int]] = {}
        for i, image in enumerate(scaled):
            by_width.setdefault(image.shape[1], []).append(i)
        for _, members in sorted(by_width.items()):
            for start in range(0, len(members), BATCH):
                chunk = members[start : start + BATCH]
                batch = np.stack([scaled[i] for i in chunk]).astype(np.float32) / 127.5 - 1.0
                batch = np.repeat(batch[:, np.newaxis, :, :], 3, axis=1)
                probabilities = self._session.run(None, {self._input: batch})[0]
                for k, i in enumerate(chunk):
                    only_digits = bool(digits[i]) if digits is not None else False
                    out[i] = self._decode(probabilities[k], only_digits)
        return out

    def _decode(self, preds: NDArray[np.float32], digits: bool) -> Reading:
        """One crop's per-step probabilities → the number if it reads as one, else the free text.

        With ``digits``, a reading in letters of any script (a "2" read as "N", a "6" as "ó"), in a Chinese character
        (no Chinese character is as low as the line: a serif "1" read as "王") or in nothing is
        decoded among the numeric characters only; its confidence still counts every other character
        the model saw, so a mark that is no digit ("/" forced into "1") comes out unsure.
        """
        text, confidence = _greedy(preds, self.alphabet)
        compact = "".join(LOOKALIKE.get(ch, ch) for ch in text if not ch.isspace())
        merged = _merge_lookalikes(preds, self.alphabet, self._numeric)
        if compact and all(ch in NUMERIC for ch in compact) and any(ch.isdigit() for ch in compact):
            number, number_confidence = _greedy(merged, NUMERIC_ALPHABET, emit=len(NUMERIC_ALPHABET))
            if number == compact:
                return Reading(number, number_confidence, True)
        if digits and all(ch.isalpha() and ch not in MARKS for ch in compact):
            number, number_confidence = _greedy(merged, NUMERIC_ALPHABET, emit=len(NUMERIC_ALPHABET))
            if number and any(ch.isdigit() for ch in number):
                return Reading(number, number_confidence, True)
        return Reading(text, confidence, False)


@cache
def recogniser() -> Recogniser:
    """The recogniser (loaded once per process); ImportError or FileNotFoundError when it cannot be."""
    path = model_file()
    if path is None:
        raise FileNotFoundError("no RapidOCR recognition model installed")
    logging.getLogger("onnxruntime").setLevel(logging.ERROR)
    return Recogniser(path)


def _to_height(crop: NDArray[np.uint8]) -> NDArray[np.uint8]:
    """A crop scaled to the model's height (smooth when enlarged, averaged when shrunk)."""
    height, width = crop.shape[:2]
    new_width = max(8, round(width * HEIGHT / max(height, 1)))
    method = cv2.INTER_CUBIC if height < HEIGHT else cv2.INTER_AREA
    scaled = cv2.resize(crop, (new_width, HEIGHT), interpolation=method)
    return np.asarray(scaled, dtype=np.uint8)


def _to_width(image: NDArray[np.uint8]) -> NDArray[np.uint8]:
    """A scaled crop widened with white on both sides to the next multiple of ``WIDTH_STEP``."""
    width = image.shape[1]
    wanted = -(-width // WIDTH_STEP) * WIDTH_STEP
    if wanted == width:
        return image
    left = (wanted - width) // 2
    out = np.full((image.shape[0], wanted), 255, dtype=np.uint8)
    out[:, left : left + width] = image
    return out


def _numeric_classes(alphabet: tuple[str, ...]) -> list[list[int]]:
    """For blank and each numeric character: the model's classes that read as it (lookalikes too)."""
    groups: list[list[int]] = [[0]] + [[] for _ in NUMERIC]
    for index, ch in enumerate(alphabet):
        target = LOOKALIKE.get(ch, ch)
        if index and target in NUMERIC and len(target) == 1:
            groups[1 + NUMERIC.index(target)].append(index)
    return groups


def _merge_lookalikes(preds: NDArray[np.float32], alphabet: tuple[str, ...],
                      groups: list[list[int]]) -> NDArray[np.float32]:
    """Per step: blank, each numeric character (its lookalikes added in), and everything else."""
    merged = np.stack([preds[:, g].sum(axis=1) for g in groups], axis=1)
    rest = np.clip(1.0 - merged.sum(axis=1, keepdims=True), 0.0, 1.0)
    # "Everything else" competes, but is never emitted: it gets a class past the alphabet.
    return np.concatenate([merged, rest], axis=1).astype(np.float32)


def _greedy(preds: NDArray[np.float32], alphabet: Sequence[Any], emit: int | None = None) -> tuple[str, float]:
    """Greedy CTC decoding: the text, and the confidence of its least sure place.

    Only the first ``emit`` classes may be read (the others still compete for confidence).
    """
    best = (preds[:, :emit] if emit else preds).argmax(axis=1).tolist()
    chars: list[str] = []
    confidence = 1.0
    previous = -1  # the class of the step before (CTC merges repeats)
    last = -1  # the last character emitted
    peak: float | None = None
    for step, cls in enumerate(best):
        p = preds[step]
        if cls == 0 or cls >= len(alphabet):
            if peak is not None:
                confidence = min(confidence, peak)
                peak = None
            if cls != 0:  # "everything else" won a step: not a number
                confidence = 0.0
            # An empty place is unsure when a character competes for it that would change the
            # text: any but the neighbours (which would only grow), or the neighbours themselves
            # when they are the same character (which would merge the two).
            following = _next_emitted(best, step)
            allowed = (0,) if last == following else (0, last, following)
            confidence = min(confidence, 1.0 - _rival(p, allowed))
            previous = cls
            continue
        if cls != previous:
            if peak is not None:
                confidence = min(confidence, peak)
            chars.append(alphabet[cls])
            peak = float(p[cls])
            last = cls
        else:
            peak = max(peak or 0.0, float(p[cls]))
        previous = cls
    if peak is not None:
        confidence = min(confidence, peak)
    text = "".join(chars).strip()
    return text, (confidence if text else 0.0)


def _rival(p: NDArray[np.float32], allowed: tuple[int, ...]) -> float:
    """The probability of the strongest class at a step other than ``allowed`` ones."""
    masked = p.copy()
    for index in allowed:
        if 0 <= index < masked.shape[0]:
            masked[index] = 0.0
    return float(masked.max())


def _next_emitted(best: list[int], step: int) -> int:
    """The next class after ``step`` that is not blank (-1 if none)."""
    for cls in best[step + 1 :]:
        if cls != 0:
            return cls
    return -1
