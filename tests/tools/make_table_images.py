"""Draw real reports' statutory tables as pictures, in the styles users meet them.

The tables come from the hand-checked answers of real reports (``tests/data/corpus/NAME.expected.json``),
laid out as the official template lays them out (``tests/layouts.py``: row and column spans, every
label from ``xxgk.templates.statutory()``), and drawn as one of the ``STYLES``:

==============  ==============================================================================
``screenshot``  a web page's table: sans-serif text, black 1 px rules, a shaded header, colour
``word``        a Word document's table: serif (宋体-like) text, thin grey rules, wrapped labels
``small``       a screenshot shrunk by the page: 11-12 px text, rules turned grey by the scaling
``zoomed``      a small picture blown up: large, soft text and thick blurred rules
``jpeg``        the screenshot saved as a heavily compressed JPEG (blocks, colour bleeding)
``scan``        printed and scanned back: grey paper, tilted up to 2°, noise, blur, JPEG
``borderless``  no ruling lines at all: rows and columns only by where the text is
``narrow_stub`` no rules, and 表三's stub columns narrow (as Word draws them): their text runs down across rows
``boxed``       only the table's outer border: a frame, no grid
``three_line``  a three-line table (三线表): rules above and below the table and under its header, and its sides
``shaded``      a Word table with its header cells shaded 深色25% (grey 191: darker than a faint rule)
``dark_header`` a web page's table with a dark blue header in white text, grey rules
``white_grid``  an Excel or WPS theme: every cell filled (a blue header in white text, light blue rows), white rules
``stamped``     a screenshot with the agency's red seal stamped over the lower right (its totals)
``stamped_scan`` that, printed and scanned in grey: the seal as dark as the rules and digits
==============  ==============================================================================

A report is drawn whole (title, the six headings, a sentence each, its tables: ``report_image``),
or table by table, as web pages embed them (``table_images``), optionally with 表三 cut in two at
a row, one picture per printed page (``split=True``), or one table among prose set twice as large,
as a WeChat article's 长图 (``long_picture``). Drawing is seeded: the same arguments give
the same pixels.

    python tests/tools/make_table_images.py            # writes the committed tests/data/images/*
    python tests/tools/make_table_images.py --check    # only tells whether the committed ones differ
    python tests/tools/make_table_images.py --show dev_001 scan out.png   # one report in one style

Needs CJK fonts (Debian: fonts-noto-cjk, fonts-wqy-zenhei; ``fonts()`` says which are there).
The committed images are few and small, so the OCR tests also run where no such font is installed.
"""

from __future__ import annotations

import argparse
import io
import json
import math
import random
import sys
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from PIL import Image, ImageDraw, ImageFilter, ImageFont

TESTS = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(TESTS))

from layouts import BREAK, VARIANTS, Cell, Grid, build_doc  # noqa: E402

CORPUS = TESTS / "data" / "corpus"
OUT = TESTS / "data" / "images"
# Freely licensed CJK fonts from Debian's packages: (file, face index) by family.
# A picture's font is picked among those of its style's family by the drawing's seed.
FONT_FILES: dict[str, tuple[tuple[str, int], ...]] = {
    "sans": (("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 2),  # Noto Sans CJK SC (黑体-like)
             ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0)),  # WenQuanYi Zen Hei
    "serif": (("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc", 2),  # Noto Serif CJK SC (宋体-like)
              ("/usr/share/fonts/truetype/arphic/uming.ttc", 0),  # AR PL UMing (thin, 宋体-like)
              ("/usr/share/fonts/truetype/arphic/ukai.ttc", 0)),  # AR PL UKai (楷体-like)
}
# Reports whose answers hold all three tables: 2021 format, and 2019 (表二 with its own columns).
REPORTS = ("dev_001", "dev_002", "dev_003", "dev_010", "seed_001_a8be0d3400cd1f54", "seed_002_f821463d77e6db60")
TABLES = ("active", "requests", "review_litigation")


@dataclass(frozen=True, slots=True)
class Style:
    """How a table picture looks."""

    name: str
    family: str = "sans"
    size: int = 16  # text height in pixels as drawn (before ``zoom``)
    rule: int = 0  # grey level of the ruling lines (0 black); None-like -1: no rules
    rule_width: int = 1
    header_fill: tuple[int, int, int] | None = None  # shaded header cells (screenshots, Word's 底纹)
    header_text: tuple[int, int, int] | None = None  # the header cells' text colour (None: as the text)
    fill: tuple[int, int, int] | None = None  # the other cells' fill (a theme's rows: its rules are then white)
    text: int = 0  # grey level of the text
    pad: int = 6  # space between a cell's text and its rules
    label_max: int = 260  # widest a label column gets before its text wraps
    stub_max: int | None = None  # widest a stub column gets (its labels all span rows: 三、本年度办理结果)
    value_width: int = 80
    value_align: str = "center"
    zoom: float = 1.0  # drawn, then resized by this factor (bicubic)
    jpeg: int | None = None  # saved as JPEG at this quality
    scan: bool = False  # grey paper, tilt, noise, blur
    colour: bool = False  # an RGB picture (screenshots); else greyscale
    rules: bool = True
    frame: str = "grid"  # "grid": every cell boxed; "box": only the outer border; "three_line": see the styles
    seal: bool = False  # an official seal stamped over the lower right part of the picture


STYLES: dict[str, Style] = {s.name: s for s in (
    Style("screenshot", "sans", 15, rule=0, header_fill=(221, 235, 247), colour=True, pad=6),
    Style("word", "serif", 21, rule=128, pad=8, label_max=300, value_width=72),
    Style("small", "sans", 24, rule=0, pad=8, zoom=0.5, value_width=80),
    Style("zoomed", "sans", 15, rule=0, pad=5, zoom=2.2),
    Style("jpeg", "sans", 15, rule=0, header_fill=(230, 230, 230), colour=True, jpeg=30),
    Style("scan", "serif", 20, rule=20, text=20, pad=8, scan=True, jpeg=75, label_max=280),
    Style("borderless", "sans", 16, rules=False, pad=10, label_max=320),
    Style("narrow_stub", "sans", 16, rules=False, pad=4, label_max=320, stub_max=52),
    Style("boxed", "sans", 16, rule=0, rule_width=2, frame="box", pad=8, label_max=320),
    Style("three_line", "serif", 16, rule=0, frame="three_line", pad=8, label_max=320),
    Style("shaded", "serif", 21, rule=0, header_fill=(191, 191, 191), pad=8, label_max=300, value_width=72),
    Style("dark_header", "sans", 15, rule=160, header_fill=(31, 78, 121), header_text=(255, 255, 255),
          colour=True, pad=6),
    Style("white_grid", "sans", 15, rule=255, rule_width=2, header_fill=(91, 155, 213), header_text=(255, 255, 255),
          fill=(189, 215, 238), colour=True, pad=6),
    Style("stamped", "sans", 15, rule=0, colour=True, pad=6, seal=True),
    Style("stamped_scan", "serif", 20, rule=20, text=20, pad=8, scan=True, jpeg=75, label_max=280, seal=True),
)}


def fonts() -> dict[str, list[tuple[str, int]]]:
    """The CJK fonts installed here, by family (a family without one is left out)."""
    found: dict[str, list[tuple[str, int]]] = {}
    for family, candidates in FONT_FILES.items():
        here = [(path, index) for path, index in candidates if Path(path).exists()]
        if here:
            found[family] = here
    return found


def _font(style: Style, size: int, seed: int = 0) -> ImageFont.FreeTypeFont:
    available = fonts()
    family = available.get(style.family) or next(iter(available.values()))
    path, index = family[seed % len(family)]
    return ImageFont.truetype(path, size, index=index)


@dataclass(frozen=True, slots=True)
class Placed:
    """A cell of the grid at its row and column, with its spans."""

    text: str
    row: int
    col: int
    rowspan: int
    colspan: int
    value: bool
    header: bool


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
                                 cell.kind == "value", cell.kind in ("header", "group", "note", "caption")))
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


def draw_table(grid: Grid, style: Style, page_width: int = 1160, seed: int = 0) -> Image.Image:
    """Draw one table at the style's text size: cells boxed by rules, text centred in its span."""
    font = _font(style, style.size, seed)
    cells, ncols = place(grid)
    nrows = len(grid)
    pad = style.pad
    widths = [style.value_width] * ncols
    stubs = {c.col for c in cells if c.rowspan > 1} - {c.col for c in cells if c.rowspan == 1 and c.colspan == 1}
    for cell in cells:
        if cell.colspan == 1 and not cell.value:
            most = style.stub_max if style.stub_max and cell.col in stubs else style.label_max
            need = min(int(font.getlength(cell.text)) + 2 * pad, most)
            widths[cell.col] = max(widths[cell.col], need)
    # Too wide for the page: value columns narrow down to their numbers, then labels wrap more.
    least = [style.size * 3] * ncols
    for cell in cells:
        if cell.value and cell.colspan == 1:
            least[cell.col] = max(least[cell.col], int(font.getlength(cell.text)) + 2 * pad + 4)
    narrow = [i for i, w in enumerate(widths) if w == style.value_width]
    spare = page_width - sum(widths)
    if spare < 0 and narrow:
        for i in narrow:
            widths[i] = max(least[i], style.value_width + spare // len(narrow))
    spare = page_width - sum(widths)
    wide = [i for i in range(ncols) if i not in narrow]
    if spare < 0 and wide:
        scale = (sum(widths[i] for i in wide) + spare) / sum(widths[i] for i in wide)
        for i in wide:
            widths[i] = max(style.size * 2 + 2 * pad, int(widths[i] * scale))
    for i in range(ncols):  # a number is never wrapped
        if any(c.value and c.colspan == 1 and c.col == i for c in cells):
            widths[i] = max(widths[i], least[i])
    xs = [0]
    for w in widths:
        xs.append(xs[-1] + w)
    line_height = int(style.size * 1.35)
    heights = [line_height + 2 * pad] * nrows
    for cell in cells:
        if cell.rowspan == 1:
            lines = wrap(cell.text, xs[cell.col + cell.colspan] - xs[cell.col] - 2 * pad, font)
            heights[cell.row] = max(heights[cell.row], len(lines) * line_height + 2 * pad)
    ys = [0]
    for h in heights:
        ys.append(ys[-1] + h)
    image = Image.new("RGB", (xs[-1] + 1, ys[-1] + 1), (255, 255, 255))
    draw = ImageDraw.Draw(image)
    ink = (style.text,) * 3
    for cell in cells:
        x0, x1 = xs[cell.col], xs[cell.col + cell.colspan]
        y0, y1 = ys[cell.row], ys[cell.row + cell.rowspan]
        if cell.header and style.header_fill:
            draw.rectangle((x0, y0, x1, y1), fill=style.header_fill)
        elif style.fill:
            draw.rectangle((x0, y0, x1, y1), fill=style.fill)
        lines = wrap(cell.text, x1 - x0 - 2 * pad, font)
        top = (y0 + y1) / 2 - len(lines) * line_height / 2
        colour = style.header_text if cell.header and style.header_fill and style.header_text else ink
        for k, line in enumerate(lines):
            width = font.getlength(line)
            x = x1 - pad - width if cell.value and style.value_align == "right" else (x0 + x1 - width) / 2
            draw.text((x, top + k * line_height + (line_height - style.size) / 2), line, fill=colour, font=font)
    if style.rules:
        _draw_rules(draw, cells, xs, ys, style)
    return image


def _draw_rules(draw: ImageDraw.ImageDraw, cells: list[Placed], xs: list[int], ys: list[int], style: Style) -> None:
    """Rule the table as the style frames it: every cell, only its border, or as a three-line table."""
    grey = (style.rule,) * 3
    if style.frame == "grid":
        for cell in cells:
            x0, x1 = xs[cell.col], xs[cell.col + cell.colspan]
            y0, y1 = ys[cell.row], ys[cell.row + cell.rowspan]
            draw.rectangle((x0, y0, x1, y1), outline=grey, width=style.rule_width)
        return
    draw.rectangle((xs[0], ys[0], xs[-1], ys[-1]), outline=grey, width=style.rule_width)
    if style.frame == "three_line":  # and a rule under the header, the rows where no value stands
        header = min((c.row for c in cells if c.value), default=0)
        draw.line((xs[0], ys[header], xs[-1], ys[header]), fill=grey, width=style.rule_width)


def draw_text(text: str, style: Style, size: int, width: int, indent: int = 0, seed: int = 0) -> Image.Image:
    """Draw a paragraph of prose, wrapped to ``width``."""
    font = _font(style, size, seed)
    lines = wrap(text, width - indent, font)
    line_height = int(size * 1.6)
    image = Image.new("RGB", (width, len(lines) * line_height + 4), (255, 255, 255))
    draw = ImageDraw.Draw(image)
    for k, line in enumerate(lines):
        draw.text((indent if k == 0 else 0, 2 + k * line_height), line, fill=(style.text,) * 3, font=font)
    return image


def stack(pieces: Iterable[Image.Image], margin: int, gap: int) -> Image.Image:
    """Pieces one under the other on a white page."""
    items = list(pieces)
    width = max(p.width for p in items) + 2 * margin
    height = sum(p.height for p in items) + gap * (len(items) - 1) + 2 * margin
    page = Image.new("RGB", (width, height), (255, 255, 255))
    y = margin
    for piece in items:
        page.paste(piece, (margin, y))
        y += piece.height + gap
    return page


SEAL_RED = (215, 35, 40)
SEAL_NAME = "江川市人民政府办公室"


def seal(size: int, seed: int) -> Image.Image:
    """An official round seal (公章) on white: a ring, the body's name along it, a star, 专用章; ink uneven."""
    import numpy as np

    image = Image.new("RGB", (size, size), "white")
    draw = ImageDraw.Draw(image)
    ring = max(4, size // 40)
    draw.ellipse((ring, ring, size - ring, size - ring), outline=SEAL_RED, width=ring)
    centre, outer = size / 2, size * 0.16
    draw.polygon([(centre + (outer if k % 2 == 0 else outer * 0.38) * math.cos(-math.pi / 2 + k * math.pi / 5),
                   centre + (outer if k % 2 == 0 else outer * 0.38) * math.sin(-math.pi / 2 + k * math.pi / 5))
                  for k in range(10)], fill=SEAL_RED)
    font = _font(Style("seal"), int(size * 0.11), seed)
    arc = math.radians(240)
    radius = size / 2 - 2 * ring - size * 0.08
    for i, char in enumerate(SEAL_NAME):
        angle = -math.pi / 2 - arc / 2 + arc * (i + 0.5) / len(SEAL_NAME)
        glyph = Image.new("RGBA", (int(size * 0.13),) * 2, (0, 0, 0, 0))
        ImageDraw.Draw(glyph).text((0, 0), char, font=font, fill=(*SEAL_RED, 255))
        glyph = glyph.rotate(-math.degrees(angle) - 90, expand=True)
        x, y = centre + radius * math.cos(angle), centre + radius * math.sin(angle)
        image.paste(glyph, (int(x - glyph.width / 2), int(y - glyph.height / 2)), glyph)
    draw.text((centre - size * 0.2, centre + size * 0.22), "专用章", font=font, fill=SEAL_RED)
    # Ink is uneven: each dot of it paler by up to 45%.
    pixels = np.asarray(image, dtype=np.float32)
    fade = np.random.default_rng(seed).uniform(0.0, 0.45, (size, size, 1))
    return Image.fromarray(np.clip(255 - (255 - pixels) * (1 - fade), 0, 255).astype(np.uint8))


def stamp(image: Image.Image, seed: int) -> Image.Image:
    """Stamp a seal over the lower right third of a picture, as ink does: it darkens what is under it."""
    from PIL import ImageChops

    rnd = random.Random(seed)
    base = image.convert("RGB")
    size = int(min(base.width, base.height, 260) * rnd.uniform(0.8, 1.0))
    x = rnd.randint(max(0, base.width - size - base.width // 3), max(0, base.width - size))
    y = rnd.randint(max(0, base.height - size - base.height // 3), max(0, base.height - size))
    layer = Image.new("RGB", base.size, "white")
    layer.paste(seal(size, seed), (x, y))
    return ImageChops.multiply(base, layer)


def finish(image: Image.Image, style: Style, seed: int) -> Image.Image:
    """Turn a drawn picture into what the style's user meets: stamped, zoomed, scanned (``encode`` compresses it)."""
    rnd = random.Random(seed)
    if style.seal:
        image = stamp(image, seed * 7 + image.width)
    if style.zoom != 1.0:
        size = (round(image.width * style.zoom), round(image.height * style.zoom))
        method = Image.Resampling.BICUBIC if style.zoom > 1 else Image.Resampling.LANCZOS
        image = image.resize(size, method)
    if style.scan:
        import numpy as np

        grey = image.convert("L")
        paper = rnd.randint(222, 240)
        # Ink prints a little lighter than black; the paper is grey and uneven.
        pixels = np.asarray(grey, dtype=np.float32) / 255.0
        shade = np.linspace(0, rnd.uniform(-10, 10), grey.width, dtype=np.float32)[np.newaxis, :]
        pixels = 35 + pixels * (paper - 35) + shade
        scanned = Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8))
        angle = rnd.choice((-1, 1)) * rnd.uniform(0.6, 2.0)
        scanned = scanned.rotate(angle, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=paper)
        scanned = scanned.filter(ImageFilter.GaussianBlur(rnd.uniform(0.6, 0.9)))
        noise = np.random.default_rng(seed).normal(0, 7, (scanned.height, scanned.width))
        pixels = np.asarray(scanned, dtype=np.float32) + noise
        image = Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8))
    elif not style.colour:
        image = image.convert("L")
    return image


def bordered(image: Image.Image, inset: int = 16, width: int = 2) -> Image.Image:
    """The page with a border printed around it (a form's frame, a letterhead's box): a frame, no table."""
    out = image.copy()
    ImageDraw.Draw(out).rectangle((inset, inset, out.width - 1 - inset, out.height - 1 - inset),
                                  outline=0 if out.mode == "L" else (0, 0, 0), width=width)
    return out


def compressed(image: Image.Image, style: Style) -> Image.Image:
    """The picture as its file shows it (JPEG's losses included)."""
    data, _ = encode(image, style)
    out = Image.open(io.BytesIO(data))
    out.load()
    return out


def encode(image: Image.Image, style: Style) -> tuple[bytes, str]:
    """The picture as a file: its bytes and extension (JPEG for the styles that are JPEG)."""
    out = io.BytesIO()
    if style.jpeg is not None:
        image.save(out, "JPEG", quality=style.jpeg)
        return out.getvalue(), ".jpg"
    # Screenshots are often saved with a palette: 32 colours keep the anti-aliasing and the file small.
    image.quantize(colors=32, dither=Image.Dither.NONE).save(out, "PNG", optimize=True)
    return out.getvalue(), ".png"


# --- real reports ---------------------------------------------------------------------------------


def report_tables(name: str) -> tuple[dict[str, Any], str, int]:
    """A real report's tables, its format and its year, from its hand-checked answers.

    A cell the answer leaves null (or "?", unreadable) is drawn blank (the report printed nothing there); an answer
    without its format is given the one whose rows and columns hold all its cells, one without
    its year the year before the format's first report.
    """
    data = json.loads((CORPUS / f"{name}.expected.json").read_text(encoding="utf-8"))
    tables = {tid: {row: {col: "" if v in (None, "?") else v for col, v in cols.items()} for row, cols in t.items()}
              for tid, t in data["tables"].items() if t}
    meta = data.get("meta") or {}
    template = meta.get("template") if meta.get("template") in ("2019", "2021") else _format_of(tables)
    year: int = meta.get("year") or (2020 if template == "2019" else 2022)
    return tables, str(template), year


def report_names() -> list[str]:
    """Every corpus report whose answers hold at least one statutory table in a statutory format."""
    names = []
    for path in sorted(CORPUS.glob("*.expected.json")):
        name = path.name[: -len(".expected.json")]
        data = json.loads(path.read_text(encoding="utf-8"))
        numbers = [v for t in data["tables"].values() if t for cols in t.values() for v in cols.values()
                   if isinstance(v, int | float)]
        if (data.get("meta") or {}).get("template") != "legacy" and numbers:
            names.append(name)
    return names


def _format_of(tables: dict[str, Any]) -> str:
    from xxgk.templates import statutory

    s = statutory()
    for template in ("2021", "2019"):
        fits = True
        for tid, rows in tables.items():
            table = s.table_by_id(tid)
            row_ids = {r.id for r in table.rows_for(template)}
            col_ids = {c.id for r in table.rows_for(template) for c in table.row_columns(r, template)}
            fits &= all(row in row_ids and set(cols) <= col_ids for row, cols in rows.items())
        if fits:
            return template
    return "2021"


def _doc(name: str, only: tuple[str, ...] | None, altered: dict[tuple[str, str, str], int] | None) -> Any:
    tables, template, year = report_tables(name)
    if only is not None:
        tables = {tid: t for tid, t in tables.items() if tid in only}
    for (tid, row, col), value in (altered or {}).items():
        tables[tid] = {r: dict(cols) for r, cols in tables[tid].items()}
        tables[tid][row][col] = value
    return build_doc(tables, template, VARIANTS["official"], year)


def report_image(name: str, style: Style, seed: int = 0, only: tuple[str, ...] | None = None,
                 altered: dict[tuple[str, str, str], int] | None = None) -> Image.Image:
    """A whole minimal report around a real report's tables (``only`` those), as one page picture.

    ``altered`` prints other numbers in some cells (table, row, column → number), as a
    misprint or a damaged scan would.
    """
    doc = _doc(name, only, altered)
    width = 1160
    pieces: list[Image.Image] = []
    for block in doc.blocks:
        if block.kind == "table":
            pieces.append(draw_table(block.grid, style, width, seed))
        elif block.kind == "title":
            pieces.append(draw_text(block.text, style, style.size + 8, width, seed=seed))
        else:
            indent = 2 * style.size if block.kind == "prose" else 0
            pieces.append(draw_text(block.text, style, style.size, width, indent, seed))
    return finish(stack(pieces, 40, 14), style, seed)


def table_images(name: str, style: Style, seed: int = 0, split: bool = False) -> list[tuple[str, Image.Image]]:
    """Each table of a real report drawn on its own, as web pages embed them: (table id, picture).

    With ``split`` 表三 comes as two pictures, cut at a row boundary half way down, as a
    table printed over two pages and scanned page by page.
    """
    doc = _doc(name, None, None)
    out: list[tuple[str, Image.Image]] = []
    for k, block in enumerate(doc.blocks):
        if block.kind != "table" or not block.table:
            continue
        grids: list[Grid] = [block.grid]
        if split and block.table == "requests" and len(block.grid) > 12:
            grids = _split(block.grid)
        for part, grid in enumerate(grids):
            picture = stack([draw_table(grid, style, seed=seed)], 10, 0)
            out.append((block.table, finish(picture, style, seed * 1000 + k * 10 + part)))
    return out


def long_picture(name: str, style: Style, table: str = "requests", seed: int = 0, prose_size: int = 34) -> Image.Image:
    """A WeChat article's 长图 around one of a real report's tables: paragraphs of prose above and below it,
    set at ``prose_size`` (about twice the table's text, as a phone's article sets them), as wide as the table."""
    picture = next(image for tid, image in table_images(name, style, seed) if tid == table)
    text = "本机关坚持以公开为常态、不公开为例外，严格落实政府信息公开工作制度，不断拓宽公开渠道，提升公开质量。" * 8
    prose = draw_text(text, style, prose_size, picture.width, indent=2 * prose_size, seed=seed)
    return stack([prose, picture, prose], 20, 30)


def _split(grid: Grid) -> list[Grid]:
    """表三's grid cut in two halves at a row half way down, as a page break cuts a printed table.

    A merged cell the break runs through (the stub 三、本年度办理结果) is cut in two: its part on
    the first page keeps its text, its part on the second is an empty cell of the rows left.
    """
    cut = len(grid) // 2 + 2
    first: Grid = [list(row) for row in grid[:cut]]
    carried: list[tuple[int, Cell]] = []  # (column, continuation) for the second page's first row
    placed, _ = place(grid)
    for r, row in enumerate(first):
        for i, cell in enumerate(row):
            if r + cell.rowspan > cut:
                row[i] = replace(cell, rowspan=cut - r)
    for spot in placed:
        if spot.row < cut < spot.row + spot.rowspan:
            carried.append((spot.col, Cell("", "stub", rowspan=spot.row + spot.rowspan - cut, colspan=spot.colspan)))
    second: Grid = [list(row) for row in grid[cut:]]
    second[0] = [cell for _, cell in sorted(carried, key=lambda c: c[0])] + second[0]
    return [first, second]


def report_html(name: str, style: Style, folder: Path, seed: int = 0, split: bool = False) -> Path:
    """A report as a web page: the text as text, each table as a picture file beside the page."""
    doc = _doc(name, None, None)
    pictures = table_images(name, style, seed, split)
    folder.mkdir(parents=True, exist_ok=True)
    parts = ['<!DOCTYPE html><html><head><meta charset="utf-8"><title>年报</title></head><body>']
    for block in doc.blocks:
        if block.kind == "table":
            for k, (tid, picture) in enumerate(pictures):
                if tid != block.table:
                    continue
                data, ext = encode(picture, style)
                file = f"{tid}{k}{ext}"
                (folder / file).write_bytes(data)
                parts.append(f'<p style="text-align:center"><img src="{file}" width="{picture.width}"></p>')
        elif block.kind == "title":
            parts.append(f"<h1>{block.text}</h1>")
        else:
            parts.append(f"<p>{block.text}</p>")
    parts.append("</body></html>")
    page = folder / f"{name}.html"
    page.write_text("".join(parts), encoding="utf-8")
    return page


# --- the committed images -----------------------------------------------------------------------------

# Tables 三 and 四 of dev_001 with one digit changed in two cells: the rows no longer add up.
ALTERED_REPORT = "dev_001"
ALTERED = {
    ("requests", "granted", "natural_person"): 1283,  # printed 1288
    ("review_litigation", "review", "upheld"): 78,  # printed 72
}
# The report whose 表二 and 表四 are drawn alone (for web pages and Word files) and as a short report.
SMALL_REPORT = "seed_001_a8be0d3400cd1f54"
SMALL_TABLES = ("active", "review_litigation")
# One table picture per style, from a report the style is not otherwise tested on.
STYLE_SAMPLES = {"screenshot": ("dev_002", "requests"), "word": ("dev_003", "requests"),
                 "small": ("dev_010", "requests"), "zoomed": ("seed_001_a8be0d3400cd1f54", "active"),
                 "jpeg": ("dev_001", "requests"), "scan": ("seed_002_f821463d77e6db60", "review_litigation"),
                 "borderless": ("dev_003", "review_litigation"), "stamped": ("dev_001", "requests")}
# A table with a seal stamped over it and scanned in grey: the seal cannot be told from the print
# by its colour, so cells under it may be lost, but no number may be wrong without a finding.
STAMPED_SCAN = ("dev_003", "review_litigation")
PLAIN = Style("plain", "sans", 20, rule=0, pad=8, label_max=300, value_width=96)


def fixtures() -> dict[str, bytes]:
    """Every committed image, by file name."""
    out: dict[str, bytes] = {}
    out[f"{ALTERED_REPORT}.altered.png"] = _bilevel(report_image(
        ALTERED_REPORT, PLAIN, only=("requests", "review_litigation"), altered=ALTERED))
    out[f"{SMALL_REPORT}.small.png"] = _bilevel(report_image(SMALL_REPORT, PLAIN, only=SMALL_TABLES))
    for tid, image in table_images(SMALL_REPORT, PLAIN):
        if tid in SMALL_TABLES:
            out[f"{SMALL_REPORT}.{tid}.png"] = _bilevel(image)
    for style_name, (report, table) in STYLE_SAMPLES.items():
        style = STYLES[style_name]
        image = next(img for tid, img in table_images(report, style, seed=1) if tid == table)
        data, ext = encode(image, style)
        out[f"{report}.{table}.{style_name}{ext}"] = data
    report, table = STAMPED_SCAN
    style = STYLES["stamped_scan"]
    data, ext = encode(next(img for tid, img in table_images(report, style, seed=1) if tid == table), style)
    out[f"{report}.{table}.stamped_scan{ext}"] = data
    return out


def _bilevel(image: Image.Image) -> bytes:
    """A page as a small black-and-white PNG."""
    out = io.BytesIO()
    image.convert("L").convert("1", dither=Image.Dither.NONE).save(out, "PNG", optimize=True)
    return out.getvalue()


def main() -> int:
    """Write (or check) the committed images, or draw one report in one style."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--check", action="store_true")
    parser.add_argument("--show", nargs=3, metavar=("REPORT", "STYLE", "FILE"))
    args = parser.parse_args()
    if not fonts():
        print("no CJK font installed (Debian: apt-get install fonts-noto-cjk fonts-wqy-zenhei)", file=sys.stderr)
        return 2
    if args.show:
        name, style_name, file = args.show
        compressed(report_image(name, STYLES[style_name], seed=1), STYLES[style_name]).save(file)
        return 0
    OUT.mkdir(parents=True, exist_ok=True)
    stale = 0
    for file, data in fixtures().items():
        path = OUT / file
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

