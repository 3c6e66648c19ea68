"""Draw real reports' statutory tables as PNG images, as a scanned or screenshot report shows them.

The tables come from the hand-checked answers of real reports (``tests/data/corpus/NAME.expected.json``),
laid out as the official template lays them out (``tests/layouts.py``: row and column spans, every
label from ``xxgk.templates.statutory()``), and drawn with ruling lines in a CJK font; the title, the
six headings and a sentence each go around them, so that the image reads as a whole report.

    python tests/tools/make_table_images.py            # writes tests/data/images/*.png
    python tests/tools/make_table_images.py --check    # only tells whether the committed ones differ

Needs a CJK font (``FONT`` below, or ``--font``). The images are committed (each well under 200 KB)
so that the OCR tests run on machines without such a font.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PIL import Image, ImageDraw, ImageFont

TESTS = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(TESTS))

from layouts import BREAK, VARIANTS, Block, Grid, build_doc  # noqa: E402

CORPUS = TESTS / "data" / "corpus"
OUT = TESTS / "data" / "images"
FONT = "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"
# The reports drawn: 2021 format with all three tables, and 2019 format (表二 with its own columns).
REPORTS = ("dev_001", "seed_001_a8be0d3400cd1f54", "seed_002_f821463d77e6db60")

SIZE = 20  # font size in pixels (a page scanned at about 150 dpi)
PAD = 8
MARGIN = 40
PAGE_WIDTH = 1240
LABEL_MAX = 300  # widest a label column gets before its text wraps
VALUE_WIDTH = 96


@dataclass(frozen=True, slots=True)
class Placed:
    """A cell of the grid at its row and column, with its spans."""

    text: str
    row: int
    col: int
    rowspan: int
    colspan: int
    value: bool


def place(grid: Grid) -> tuple[list[Placed], int]:
    """Turn a grid of spanning cells into cells at grid positions, and the number of columns."""
    taken: set[tuple[int, int]] = set()
    placed: list[Placed] = []
    for r, row in enumerate(grid):
        c = 0
        for cell in row:
            while (r, c) in taken:
                c += 1
            for i in range(r, r + cell.rowspan):
                for j in range(c, c + cell.colspan):
                    taken.add((i, j))
            placed.append(Placed(cell.text.replace(BREAK, ""), r, c, cell.rowspan, cell.colspan,
                                 cell.kind == "value"))
            c += cell.colspan
    return placed, max(j for _, j in taken) + 1


def wrap(text: str, width: int, font: ImageFont.FreeTypeFont) -> list[str]:
    """Break a cell's text into lines no wider than ``width`` pixels (Chinese wraps anywhere)."""
    lines: list[str] = []
    current = ""
    for ch in text:
        if current and font.getlength(current + ch) > width:
            lines.append(current)
            current = ""
        current += ch
    return [*lines, current] if current else lines or [""]


def draw_table(grid: Grid, font: ImageFont.FreeTypeFont) -> Image.Image:
    """Draw one table: every cell boxed by ruling lines, its text centred in its span."""
    cells, ncols = place(grid)
    nrows = len(grid)
    widths = [VALUE_WIDTH] * ncols
    for cell in cells:
        if cell.colspan == 1 and not cell.value:
            need = min(int(font.getlength(cell.text)) + 2 * PAD, LABEL_MAX)
            widths[cell.col] = max(widths[cell.col], need)
    # Too wide for the page: value columns narrow down to their numbers, then labels wrap more.
    room = PAGE_WIDTH - 2 * MARGIN
    least = [SIZE * 3] * ncols
    for cell in cells:
        if cell.value and cell.colspan == 1:
            least[cell.col] = max(least[cell.col], int(font.getlength(cell.text)) + 2 * PAD + 4)
    narrow = [i for i, w in enumerate(widths) if w == VALUE_WIDTH]
    spare = room - sum(widths)
    if spare < 0 and narrow:
        for i in narrow:
            widths[i] = max(least[i], VALUE_WIDTH + spare // len(narrow))
    spare = room - sum(widths)
    wide = [i for i in range(ncols) if i not in narrow]
    if spare < 0 and wide:
        scale = (sum(widths[i] for i in wide) + spare) / sum(widths[i] for i in wide)
        for i in wide:
            widths[i] = int(widths[i] * scale)
    xs = [0]
    for w in widths:
        xs.append(xs[-1] + w)
    line_height = SIZE + 6
    heights = [line_height + 2 * PAD] * nrows
    for cell in cells:
        if cell.rowspan == 1:
            lines = wrap(cell.text, xs[cell.col + cell.colspan] - xs[cell.col] - 2 * PAD, font)
            heights[cell.row] = max(heights[cell.row], len(lines) * line_height + 2 * PAD)
    ys = [0]
    for h in heights:
        ys.append(ys[-1] + h)
    image = Image.new("L", (xs[-1] + 1, ys[-1] + 1), 255)
    draw = ImageDraw.Draw(image)
    for cell in cells:
        x0, x1 = xs[cell.col], xs[cell.col + cell.colspan]
        y0, y1 = ys[cell.row], ys[cell.row + cell.rowspan]
        draw.rectangle((x0, y0, x1, y1), outline=0, width=1)
        lines = wrap(cell.text, x1 - x0 - 2 * PAD, font)
        top = (y0 + y1) / 2 - len(lines) * line_height / 2
        for k, line in enumerate(lines):
            width = font.getlength(line)
            draw.text(((x0 + x1 - width) / 2, top + k * line_height + 3), line, fill=0, font=font)
    return image


def draw_text(text: str, font: ImageFont.FreeTypeFont, indent: int = 0) -> Image.Image:
    """Draw a line of prose (wrapped to the page)."""
    lines = wrap(text, PAGE_WIDTH - 2 * MARGIN - indent, font)
    line_height = font.size + 12
    image = Image.new("L", (PAGE_WIDTH - 2 * MARGIN, len(lines) * line_height + 8), 255)
    draw = ImageDraw.Draw(image)
    for k, line in enumerate(lines):
        draw.text((indent, 4 + k * line_height), line, fill=0, font=font)
    return image


def draw_blocks(blocks: Iterable[Block], font_path: str) -> Image.Image:
    """Draw the report's blocks one under the other on a white page."""
    body = ImageFont.truetype(font_path, SIZE)
    title = ImageFont.truetype(font_path, SIZE + 8)
    pieces: list[Image.Image] = []
    for block in blocks:
        if block.kind == "table":
            pieces.append(draw_table(block.grid, body))
        elif block.kind == "title":
            pieces.append(draw_text(block.text, title))
        else:
            pieces.append(draw_text(block.text, body, 2 * SIZE if block.kind == "prose" else 0))
    gap = 14
    height = sum(p.height for p in pieces) + gap * len(pieces) + 2 * MARGIN
    page = Image.new("L", (PAGE_WIDTH, height), 255)
    y = MARGIN
    for piece in pieces:
        page.paste(piece, (MARGIN, y))
        y += piece.height + gap
    return page


def report_tables(name: str) -> tuple[dict[str, Any], str, int]:
    """A real report's tables, its format and its year, from its hand-checked answers."""
    data = json.loads((CORPUS / f"{name}.expected.json").read_text(encoding="utf-8"))
    tables = {tid: t for tid, t in data["tables"].items() if t is not None}
    return tables, data["meta"]["template"], data["meta"]["year"]


def report_image(name: str, font_path: str = FONT, only: tuple[str, ...] | None = None,
                 altered: dict[tuple[str, str, str], int] | None = None) -> Image.Image:
    """A whole minimal report around a real report's tables (``only`` those), drawn as one page image.

    ``altered`` prints other numbers in some cells (table, row, column → number), as a
    misprint or a damaged scan would.
    """
    tables, template, year = report_tables(name)
    if only is not None:
        tables = {tid: t for tid, t in tables.items() if tid in only}
    for (tid, row, col), value in (altered or {}).items():
        tables[tid] = {r: dict(cols) for r, cols in tables[tid].items()}
        tables[tid][row][col] = value
    doc = build_doc(tables, template, VARIANTS["official"], year)
    return draw_blocks(doc.blocks, font_path)


def table_images(name: str, font_path: str = FONT) -> dict[str, Image.Image]:
    """Each table of a real report drawn on its own (as web pages embed them), by table id."""
    tables, template, year = report_tables(name)
    doc = build_doc(tables, template, VARIANTS["official"], year)
    body = ImageFont.truetype(font_path, SIZE)
    images: dict[str, Image.Image] = {}
    for block in doc.blocks:
        if block.kind == "table" and block.table:
            table = draw_table(block.grid, body)
            page = Image.new("L", (table.width + 2 * PAD, table.height + 2 * PAD), 255)
            page.paste(table, (PAD, PAD))
            images[block.table] = page
    return images


# Tables 三 and 四 of dev_001 with one digit changed in two cells: the rows no longer add up.
ALTERED_REPORT = "dev_001"
ALTERED = {
    ("requests", "granted", "natural_person"): 1283,  # printed 1288
    ("review_litigation", "review", "upheld"): 78,  # printed 72
}
# The report whose 表二 and 表四 are drawn small: alone (for web pages and Word files) and as a short report.
SMALL_REPORT = "seed_001_a8be0d3400cd1f54"
SMALL_TABLES = ("active", "review_litigation")


def fixtures(font_path: str = FONT) -> dict[str, Image.Image]:
    """Every committed image, by file name."""
    out = {f"{name}.png": report_image(name, font_path) for name in REPORTS}
    out[f"{ALTERED_REPORT}.altered.png"] = report_image(
        ALTERED_REPORT, font_path, only=("requests", "review_litigation"), altered=ALTERED)
    out[f"{SMALL_REPORT}.small.png"] = report_image(SMALL_REPORT, font_path, only=SMALL_TABLES)
    for tid, image in table_images(SMALL_REPORT, font_path).items():
        if tid in SMALL_TABLES:
            out[f"{SMALL_REPORT}.{tid}.png"] = image
    return out


def png_bytes(image: Image.Image) -> bytes:
    """Encode a page as a small PNG (black and white: table pages need no grey)."""
    import io

    out = io.BytesIO()
    image.convert("1", dither=Image.Dither.NONE).save(out, "PNG", optimize=True)
    return out.getvalue()


def main() -> int:
    """Write (or check) the committed images."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--font", default=FONT)
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    stale = 0
    for file, image in fixtures(args.font).items():
        path = OUT / file
        data = png_bytes(image)
        if args.check:
            if not path.exists() or path.read_bytes() != data:
                print(f"differs: {path}")
                stale += 1
            continue
        path.write_bytes(data)
        print(f"{path}  {len(data) // 1024} KB")
    return 1 if stale else 0


if __name__ == "__main__":
    raise SystemExit(main())
