"""Image bytes → upright greyscale pages of bounded size (Pillow), refusing broken and hostile files."""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PIL import Image, ImageOps, UnidentifiedImageError

from xxgk.read.document import ReadError

if TYPE_CHECKING:  # numpy comes with the OCR extra, imported where pixels are worked on
    import numpy as np
    from numpy.typing import NDArray

# Refused outright: a bomb (a few KB that decode to gigabytes). A whole report as one WeChat 长图 reaches
# 1242 × 50000 (62 million: about 0.8 GB while it is read, within the watched process's 2 GB); Pillow's own
# guard would only stop at ~179 million.
MAX_PIXELS = 80_000_000
# Larger pages are scaled down before OCR: an A4 page at 300 dpi has 8.7 million pixels.
MAX_OCR_PIXELS = 12_000_000
# Frames of a multi-page TIFF (or an animated GIF) read at most.
MAX_FRAMES = 20
# Smaller than this cannot hold a line of text worth reading.
MIN_SIDE = 16


@dataclass(frozen=True, slots=True)
class ImageInfo:
    """What the header of an image says, without decoding its pixels."""

    format: str
    width: int
    height: int
    frames: int


def image_info(raw: bytes) -> ImageInfo:
    """Turn image bytes into their format and size (header only), or raise ReadError in Chinese."""
    with _open(raw) as image:
        return ImageInfo(image.format or "", image.width, image.height, getattr(image, "n_frames", 1))


def image_to_pages(raw: bytes) -> list[Image.Image]:
    """Turn image bytes into greyscale pages (one per frame), upright and scaled to at most MAX_OCR_PIXELS."""
    pages: list[Image.Image] = []
    with _open(raw) as image:
        frames = min(getattr(image, "n_frames", 1), MAX_FRAMES)
        for index in range(frames):
            try:
                image.seek(index)
                pages.append(_to_page(image))
            except (OSError, ValueError, SyntaxError, EOFError, Image.DecompressionBombError) as err:
                if pages:  # a damaged later frame: keep the ones read
                    break
                raise _damaged(err) from err
    return pages


def _open(raw: bytes) -> Image.Image:
    """Open image bytes lazily (header only), refusing empty, unknown, huge or tiny images."""
    if not raw:
        raise ReadError("图片文件为空（0 字节）")
    with warnings.catch_warnings():
        # Pillow only warns between its limit and twice that: make it refuse.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(raw))
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as err:
            raise ReadError(f"图片尺寸过大（超过 {MAX_PIXELS // 1_000_000} 百万像素），可能是恶意文件") from err
        except UnidentifiedImageError as err:
            raise ReadError("图片文件已损坏或格式无法识别") from err
        except (OSError, ValueError, SyntaxError, EOFError) as err:
            raise _damaged(err) from err
    if image.width * image.height > MAX_PIXELS:
        image.close()
        raise ReadError(f"图片尺寸过大（{image.width}×{image.height} 像素，超过 {MAX_PIXELS // 1_000_000} 百万像素），"
                        "可能是恶意文件")
    if min(image.width, image.height) < MIN_SIDE:
        image.close()
        raise ReadError(f"图片太小（{image.width}×{image.height} 像素），无法识别文字")
    return image


# How much redder than green and blue a pixel must be to be a seal's ink (red 印章 ink printed, or
# faded to pink; black text under the seal stays black, grey rules stay grey).
SEAL_REDNESS = 40
# A seal is round: its ink, joined up, spans at least this many pixels each way, about as wide as
# high. A red headline (红头) or rule is far wider than high, red text is smaller: both are kept.
SEAL_SIDE = 48
SEAL_ASPECT = (0.6, 1.6)
# Within three pixels of a seal's ink, lighter than this (after its red is divided out) and still
# tinted red by at least ``SEAL_TINT`` is the ink or its edge (a JPEG's ringing): paper. Print beside
# the seal is grey, and a scan's thin digits are as light.
SEAL_HALO = 110
SEAL_TINT = 16
_COLOUR_MODES = ("RGB", "RGBA", "P", "CMYK", "YCbCr")


def to_grey(image: Image.Image) -> Image.Image:
    """Turn a page into greyscale with a red seal's ink taken out.

    An official seal stamped over a table is red; in plain greyscale it is as dark as the rules and
    digits under it, and it breaks the table's grid. Within a seal's box the page is taken at its
    red channel divided by the ink's own red (the stamp multiplied what was under it by its
    colour): the ink turns as white as the paper, black and grey print under it keep their grey.
    The red channel alone, not only the pixels that look red: a screenshot's palette and a JPEG's
    coarse colour leave the ink's edges nearly grey.
    """
    if image.mode not in _COLOUR_MODES:
        return image.convert("L")
    import cv2
    import numpy as np

    rgb = image.convert("RGB")
    red, green, blue = (np.asarray(channel) for channel in rgb.split())
    redness = red.astype(np.int16) - np.maximum(green, blue)
    ink = redness >= SEAL_REDNESS
    boxes = _seal_boxes(ink)
    if not boxes:
        return rgb.convert("L")
    grey = np.array(rgb.convert("L"))
    level = max(float(np.percentile(np.concatenate([red[box][ink[box]] for box in boxes]), 90)), 1.0)
    for box in boxes:
        lifted = np.minimum(red[box].astype(np.float32) * (255.0 / level), 255.0)
        # A JPEG rings around the ink's edges (halos of its colour), and the ink is uneven: next to
        # the ink, what is still tinted and not as dark as print is paper. Print beside the seal is
        # grey (a scan's thin digits are as light as a halo).
        near = cv2.dilate(ink[box].astype(np.uint8), np.ones((7, 7), np.uint8)) > 0
        lifted[near & (redness[box] >= SEAL_TINT) & (lifted > SEAL_HALO)] = 255
        grey[box] = lifted.astype(np.uint8)
    return Image.fromarray(grey, "L")


def _seal_boxes(red: NDArray[np.bool_]) -> list[tuple[slice, slice]]:
    """Turn a mask of red ink into the boxes (rows, columns) of the round seals among it."""
    import cv2
    import numpy as np

    if not red.any():
        return []
    joined = cv2.dilate(red.astype(np.uint8), np.ones((9, 9), np.uint8))
    count, _, stats, _ = cv2.connectedComponentsWithStats(joined, connectivity=8)
    return [(slice(int(top), int(top + height)), slice(int(left), int(left + width)))
            for left, top, width, height, _ in stats[1:count]
            if min(width, height) >= SEAL_SIDE and SEAL_ASPECT[0] <= width / height <= SEAL_ASPECT[1]]


def _damaged(err: BaseException) -> ReadError:
    """Turn Pillow's complaint about pixel data into our one-line message."""
    if "truncated" in str(err).lower():
        return ReadError("图片文件不完整（文件被截断）")
    return ReadError("图片文件已损坏，无法读取其中的图像")


def _to_page(frame: Image.Image) -> Image.Image:
    """Turn one frame into an upright greyscale page, transparency on white, size bounded."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        frame.load()
    upright = ImageOps.exif_transpose(frame) or frame
    if upright.mode in ("RGBA", "LA", "PA") or (upright.mode == "P" and "transparency" in upright.info):
        # Screenshots often have a transparent background: black text on nothing.
        rgba = upright.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        upright = Image.alpha_composite(white, rgba)
    colour = upright.mode in _COLOUR_MODES
    if upright.mode not in ("RGB", "L"):
        upright = upright.convert("RGB" if colour else "L")
    pixels = upright.width * upright.height
    if pixels > MAX_OCR_PIXELS:  # first: the seal is looked for in colour, at three times the memory
        scale = (MAX_OCR_PIXELS / pixels) ** 0.5
        upright = upright.resize((max(1, int(upright.width * scale)), max(1, int(upright.height * scale))),
                                 Image.Resampling.LANCZOS)
    return to_grey(upright)
