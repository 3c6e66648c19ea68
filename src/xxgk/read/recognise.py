"""One line of text in a crop → its text and confidence, numbers judged as numbers.

RapidOCR's recogniser scores each character against its whole alphabet, so a lone "0" in
a table cell comes out at 0.9 at best: the model hesitates between the digit and the
letter "o", which for a number is no doubt at all. Here the recogniser's character
probabilities are decoded twice: freely, and restricted to what a number is written with.
When the free reading is a number (letters that look like digits allowed), the restricted
one stands, with the confidence of the digits against the other digits; otherwise the free
reading stands as it is ("/", "—", "无" stay what they are).
"""

from __future__ import annotations

from functools import cache
from typing import Any

import numpy as np
from numpy.typing import NDArray
from PIL import Image

# What a number in a report is written with (thousands separators, decimals, signs).
_NUMERIC = "0123456789.,-+"
# Letters the recogniser reads for digits in a number's place.
_LOOKALIKE = str.maketrans({"o": "0", "O": "0", "D": "0", "l": "1", "I": "1", "|": "1"})
_BATCH = 8


def crops_to_texts(engine: Any, crops: list[Image.Image]) -> list[tuple[str, float]]:
    """Recognise one line of text in each greyscale crop: (text, confidence) each, numbers restricted to digits."""
    if not crops:
        return []
    recogniser = engine.text_rec
    arrays = [np.asarray(c.convert("RGB")) for c in crops]
    _, height, width = recogniser.rec_image_shape[:3]
    order = sorted(range(len(arrays)), key=lambda i: arrays[i].shape[1] / arrays[i].shape[0])
    out: list[tuple[str, float]] = [("", 0.0)] * len(arrays)
    for start in range(0, len(order), _BATCH):
        chunk = order[start : start + _BATCH]
        ratio = max([width / height, *(arrays[i].shape[1] / arrays[i].shape[0] for i in chunk)])
        batch = np.concatenate([recogniser.resize_norm_img(arrays[i], ratio)[np.newaxis, :] for i in chunk])
        probabilities = recogniser.session(batch.astype(np.float32))[0]
        for index, preds in zip(chunk, probabilities, strict=True):
            out[index] = _decode(preds, tuple(recogniser.postprocess_op.character))
    return out


@cache
def _numeric_classes(alphabet: tuple[str, ...]) -> NDArray[np.int64]:
    """The classes a number may use: the CTC blank (0) and the numeric characters."""
    return np.array([0, *(i for i, ch in enumerate(alphabet) if ch in _NUMERIC)], dtype=np.int64)


def _decode(preds: NDArray[np.float32], alphabet: tuple[str, ...]) -> tuple[str, float]:
    """Decode one crop's per-step probabilities: the number if it reads as one, else the free text."""
    text, confidence = _ctc(preds, np.arange(preds.shape[1]), alphabet, renormalise=False)
    allowed = _numeric_classes(alphabet)
    number, number_confidence = _ctc(preds, allowed, alphabet, renormalise=True)
    if number and "".join(text.split()).translate(_LOOKALIKE) == number:
        return number, number_confidence
    return text, confidence


def _ctc(preds: NDArray[np.float32], classes: NDArray[np.int64], alphabet: tuple[str, ...],
         renormalise: bool) -> tuple[str, float]:
    """Greedy CTC decoding over the given classes: text and mean character probability.

    With ``renormalise`` each step's probability counts against the given classes only.
    """
    sub = preds[:, classes]
    best = sub.argmax(axis=1)
    chosen = classes[best]
    probability = sub.max(axis=1)
    if renormalise:
        probability = probability / np.maximum(sub.sum(axis=1), 1e-9)
    chars: list[str] = []
    scores: list[float] = []
    previous = -1
    for step, cls in enumerate(chosen.tolist()):
        if cls != previous and cls != 0 and cls < len(alphabet):
            chars.append(alphabet[cls])
            scores.append(float(probability[step]))
        previous = cls
    text = "".join(chars).strip()
    return text, (float(np.mean(scores)) if scores and text else 0.0)
