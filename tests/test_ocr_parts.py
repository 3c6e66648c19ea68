"""The parts of the OCR reader that need no recognition model: page preparation, rules and grids,
cutting lines, decoding the recogniser's probabilities, matching labels to the template, and
how the parser's arithmetic treats misread numbers (real tables, simulated misreads).
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw

from xxgk.templates import statutory

cv2 = pytest.importorskip("cv2")

from xxgk.read.crops import crop, region_lines  # noqa: E402
from xxgk.read.labels import snap  # noqa: E402
from xxgk.read.ocr import looks_like_paper  # noqa: E402
from xxgk.read.prepare import prepare, rotate, tilt  # noqa: E402
from xxgk.read.recognise import NUMERIC_ALPHABET, _greedy  # noqa: E402
from xxgk.read.ruling import page_to_tables  # noqa: E402

sys.path.insert(0, str(Path(__file__).parent / "tools"))
import misread_tables  # noqa: E402


def ruled_table(grey: int = 0, width: int = 1, fill: int | None = None, header_ink: int = 30) -> Image.Image:
    """A table of 5 rows and 4 columns drawn with rules; the top-left cell spans two rows, the top
    right two columns; each cell holds a block of "ink" (a dark bar as high as a line of text).
    With ``fill`` its header (the first row, and the cell spanning down from it) is shaded that grey,
    its "ink" ``header_ink`` (white on a dark fill)."""
    image = Image.new("L", (700, 400), 255)
    draw = ImageDraw.Draw(image)
    xs, ys = [50, 250, 400, 520, 650], [40, 100, 160, 220, 280, 340]
    if fill is not None:
        draw.rectangle((xs[0], ys[0], xs[-1], ys[1]), fill=fill)
        draw.rectangle((xs[0], ys[0], xs[1], ys[2]), fill=fill)
    for x in xs:
        draw.line((x, ys[0], x, ys[-1]), fill=grey, width=width)
    for y in ys:
        draw.line((xs[0], y, xs[-1], y), fill=grey, width=width)
    # The merges: no rule between rows 0 and 1 in column 0, none between columns 2 and 3 in row 0.
    paper = 255 if fill is None else fill
    draw.line((xs[0] + 2, ys[1], xs[1] - 2, ys[1]), fill=paper, width=width + 2)
    draw.line((xs[3], ys[0] + 2, xs[3], ys[1] - 2), fill=paper, width=width + 2)
    for r in range(5):
        for c in range(4):
            if (r, c) in ((1, 0), (0, 3)):
                continue  # inside a merged cell: its text is at its origin
            cx, cy = (xs[c] + xs[c + 1]) // 2, (ys[r] + ys[r + 1]) // 2
            draw.rectangle((cx - 12, cy - 9, cx + 12, cy + 9), fill=header_ink if r == 0 and fill is not None else 30)
    return image


@pytest.mark.parametrize("grey", [0, 150])
@pytest.mark.parametrize("angle", [0.0, 1.8, -2.5])
def test_rules_give_the_grid_with_its_merged_cells(grey: int, angle: float) -> None:
    image = ruled_table(grey).rotate(angle, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=255)
    assert_grid(image, angle)


# Header shadings: Word's 深色15% and 25%, a mid blue (grey 110) with dark text, a dark blue (grey 69) with
# white text. Darker than a faint rule, each of their cells was one solid "rule" and no table was read.
@pytest.mark.parametrize(("fill", "ink"), [(217, 30), (191, 30), (110, 0), (69, 255)])
@pytest.mark.parametrize("angle", [0.0, 1.5])
def test_shaded_cells_keep_their_grid_and_their_text(fill: int, ink: int, angle: float) -> None:
    image = ruled_table(fill=fill, header_ink=ink).rotate(angle, resample=Image.Resampling.BICUBIC, expand=True,
                                                          fillcolor=255)
    assert_grid(image, angle)


def assert_grid(image: Image.Image, angle: float) -> None:
    """``ruled_table``'s grid is found, with its merged cells and the ink of each cell without its rules."""
    page = prepare(np.asarray(image))
    assert abs(page.angle - angle) < 0.15
    ruled = page_to_tables(page)
    assert len(ruled.tables) == 1
    table = ruled.tables[0]
    assert (table.rows, table.columns) == (5, 4)
    assert table.origin[1][0] == (0, 0)  # merged down
    assert table.origin[0][3] == (0, 2)  # merged across
    assert table.origin[2][3] == (2, 3)
    # Every cell's ink is found inside it, without its rules.
    ink = page.ink & ~ruled.rules
    for origin in table.cells():
        left, top, right, bottom = table.cell_box(origin)
        lines = region_lines(ink, (left + 3, top + 3, right - 3, bottom - 3), page.text_height)
        assert len(lines) == 1, origin


@pytest.mark.parametrize("frame", ["box", "three_line", "page"])
def test_a_frame_that_is_no_grid_is_no_text(frame: str) -> None:
    """A box around a table without inner rules, a three-line table (its sides drawn), a page's printed
    border: no table, but its rules are left out of the text, whose lines stay lines (the frame's sides
    joined them all into one block too tall to read)."""
    image = Image.new("L", (800, 500), 255)
    draw = ImageDraw.Draw(image)
    left, top, right, bottom = (20, 20, 780, 480) if frame == "page" else (60, 80, 740, 400)
    draw.rectangle((left, top, right, bottom), outline=0, width=2)
    if frame == "three_line":
        draw.line((left, 160, right, 160), fill=0, width=2)
    bars = list(range(110, 380, 40))
    for y in bars:  # lines of "characters"
        for x in range(100, 400, 22):
            draw.rectangle((x, y, x + 17, y + 18), fill=30)
    page = prepare(np.asarray(image))
    ruled = page_to_tables(page)
    assert not ruled.tables
    lines = region_lines(page.ink & ~ruled.rules, (0, 0, page.ink.shape[1], page.ink.shape[0]), page.text_height)
    assert len(lines) == len(bars)
    assert all(line.height < 1.3 * page.text_height for line in lines)


def test_tilt_is_found_and_undone() -> None:
    image = Image.new("L", (900, 600), 255)
    draw = ImageDraw.Draw(image)
    for y in range(60, 560, 40):  # lines of "text": dashes along a baseline
        for x in range(60, 840, 30):
            draw.rectangle((x, y, x + 20, y + 16), fill=20)
    for angle in (1.3, -0.7, 3.0):
        turned = np.asarray(image.rotate(angle, resample=Image.Resampling.BICUBIC, fillcolor=255))
        found = tilt(turned < 200)
        assert abs(found - angle) < 0.1
        assert abs(tilt(rotate(turned, found) < 200)) < 0.1


def test_small_text_is_enlarged_and_grey_paper_whitened() -> None:
    image = Image.new("L", (400, 200), 200)  # grey paper
    draw = ImageDraw.Draw(image)
    for x in range(20, 380, 14):
        draw.rectangle((x, 50, x + 9, 59), fill=60)  # 10-pixel "characters"
    page = prepare(np.asarray(image))
    assert page.scale > 1.5
    assert page.text_height >= 16
    assert int(np.median(page.gray)) == 255


def test_a_stack_of_strokes_is_one_line_and_two_lines_are_two() -> None:
    ink = np.zeros((200, 200), dtype=bool)
    for y in (20, 30, 40):  # 三: three strokes within one line's height
        ink[y : y + 3, 20:60] = True
    ink[100:120, 20:150] = True  # two lines of text, a line's gap apart
    ink[132:152, 20:150] = True
    lines = region_lines(ink, (0, 0, 200, 200), 20.0)
    assert [(line.top, line.bottom) for line in lines] == [(20, 43), (100, 120), (132, 152)]


def test_rules_and_faint_blots_never_reach_the_crop() -> None:
    gray = np.full((60, 120), 255, dtype=np.uint8)
    gray[10:40, 20:40] = 0  # a digit
    gray[10:12, 0:120] = 0  # a rule through the line
    gray[35:37, 50:52] = 190  # a faint blot beside it
    rules = np.zeros_like(gray, dtype=bool)
    rules[9:13, :] = True
    from xxgk.read.crops import TextLine

    out = crop(gray, TextLine(15, 8, 60, 42), rules)
    assert out.min() == 0
    assert not (out[:, :] == 190).any()
    assert (out[:4, :] == 255).all()


def test_a_faded_hairline_joined_to_ink_stays_and_a_faint_speck_goes() -> None:
    """A thin font's bar faded by a JPEG (lighter than ink) is part of its digit; alone it is paper."""
    from xxgk.read.crops import TextLine

    gray = np.full((60, 120), 255, dtype=np.uint8)
    gray[10:40, 20:24] = 0  # the upright of a "4"
    gray[28:30, 10:40] = 215  # its bar, faded
    gray[20:22, 50:53] = 215  # a faint speck apart
    out = crop(gray, TextLine(5, 8, 60, 42))
    assert (out < 255).sum(axis=0).astype(bool).sum() > 25  # the bar spans the digit's width
    margin_x = (out.shape[1] - 55) // 2
    assert (out[:, margin_x + 44 : margin_x + 50] == 255).all()  # the speck is gone


def test_a_photos_paper_edge_askew_is_no_text() -> None:
    """A photo's paper edge runs a few degrees off upright: cut into short strokes it read as "1"s
    between a table's rows. A nearly upright line is rule, not text; upright "1"s stay text."""
    image = Image.new("L", (500, 320), 255)
    draw = ImageDraw.Draw(image)
    for row in range(4):
        for col in range(8):
            left, top = 120 + 40 * col, 40 + 60 * row
            draw.rectangle((left, top, left + 3, top + 20), fill=0)  # "1"s
    draw.line((30, 10, 60, 310), fill=40, width=2)  # the paper's edge, 6° askew
    page = prepare(np.asarray(image))
    ruled = page_to_tables(page)
    edge = np.zeros_like(page.ink)
    edge[:, :80] = True
    assert (ruled.rules & page.ink & edge).sum() > 0.95 * (page.ink & edge).sum()
    assert not (ruled.rules & page.ink & ~edge).any()


def test_readings_of_renderings_vote() -> None:
    """All renderings alike: the surest; a majority: the least sure of it; none: the first, unsure."""
    from xxgk.read.ocr import _vote
    from xxgk.read.recognise import Reading

    assert _vote([Reading("0", 0.62, True), Reading("0", 0.8, True), Reading("0", 0.93, True)]) == \
        Reading("0", 0.93, True)
    assert _vote([Reading("86", 0.7, True), Reading("36", 0.97, True), Reading("36", 1.0, True)]) == \
        Reading("36", 0.97, True)
    assert _vote([Reading("-1", 0.82, True), Reading("1", 0.67, True), Reading("4", 0.69, True)]) == \
        Reading("-1", 0.67, True)


def test_a_red_seals_ink_goes_and_light_print_beside_it_stays() -> None:
    """A scan's thin digits are light grey (about 145): a pixel from the seal's ink they are print,
    not the ink's halo (they were painted out with it, and their rows lost)."""
    from PIL import ImageChops

    from xxgk.read.image import to_grey

    page = Image.new("RGB", (400, 400), (237, 236, 228))
    draw = ImageDraw.Draw(page)
    bars = [(75, 140, 78, 180), (200, 40, 204, 80), (300, 300, 304, 340)]  # by the ring, inside, outside
    for bar in bars:
        draw.rectangle(bar, fill=(145, 145, 137))
    layer = Image.new("RGB", page.size, "white")
    ImageDraw.Draw(layer).ellipse((60, 20, 340, 300), outline=(215, 35, 40), width=14)
    grey = np.asarray(to_grey(ImageChops.multiply(page, layer)))
    ring = np.asarray(layer.convert("L")) < 200
    assert (grey[ring] < 200).mean() < 0.05  # the ring is gone
    for left, top, right, bottom in bars:
        assert (grey[top + 2 : bottom - 1, left + 1 : right] < 200).all()


def preds(steps: list[dict[int, float]], classes: int) -> np.ndarray:
    """Per-step probabilities: the given classes, the rest of the mass on blank."""
    out = np.zeros((len(steps), classes), dtype=np.float32)
    for t, probs in enumerate(steps):
        for cls, p in probs.items():
            out[t, cls] = p
        out[t, 0] += 1.0 - sum(probs.values())
    return out


def test_decoding_reports_the_least_sure_place() -> None:
    one, zero = NUMERIC_ALPHABET.index("1"), NUMERIC_ALPHABET.index("0")
    n = len(NUMERIC_ALPHABET)
    sure = preds([{}, {one: 0.99}, {}, {zero: 0.98}, {}], n)
    text, confidence = _greedy(sure, NUMERIC_ALPHABET)
    assert text == "10" and confidence == pytest.approx(0.98, abs=1e-6)
    # A place read as empty where a digit competes: the digit may have been dropped.
    dropped = preds([{}, {one: 0.99}, {zero: 0.4}, {}], n)
    text, confidence = _greedy(dropped, NUMERIC_ALPHABET)
    assert text == "1" and confidence == pytest.approx(0.6, abs=1e-6)
    # The neighbour competing for the gap only makes it longer: no doubt about the text.
    longer = preds([{}, {one: 0.99}, {one: 0.4}, {}], n)
    assert _greedy(longer, NUMERIC_ALPHABET)[1] == pytest.approx(0.99, abs=1e-6)
    # ... unless the same digit stands on both sides: "11" would merge into "1".
    double = preds([{one: 0.99}, {one: 0.45}, {one: 0.99}], n)
    text, confidence = _greedy(double, NUMERIC_ALPHABET)
    assert text == "11" and confidence == pytest.approx(0.55, abs=1e-6)


def test_labels_read_with_slips_take_the_template_wording() -> None:
    requests = statutory().table_by_id("requests")
    granted = requests.row_by_id("granted").label_for("2021")
    assert snap("(一) 子以公开") == granted
    no_correction = requests.row_by_id("other.no_correction").label_for("2021")
    assert snap("1.申请人无正当理", prefix=True) == no_correction
    assert snap("本机关认真贯彻落实条例") is None
    assert snap("其他", prefix=True) is None  # too short to tell anything


@pytest.mark.parametrize(("rate", "most"), [(0.01, 0.0), (0.05, 0.0), (0.2, 0.02)])
def test_random_misreads_are_not_confirmed_by_the_arithmetic(rate: float, most: float) -> None:
    """Real tables with digits misread at random (at full confidence): the arithmetic catches them."""
    verdicts = misread_tables.simulate("random", rate, trials=12, seed=3)
    misread = sum(verdicts.values())
    assert misread > 0
    assert verdicts["silent"] <= most * misread, verdicts


def test_a_digit_misread_everywhere_is_mostly_caught() -> None:
    """The same digit misread in every cell: sums that hold anyway are the residual risk (docs/ocr.md)."""
    verdicts = misread_tables.simulate("systematic", 0.0, trials=18, seed=4)
    misread = sum(verdicts.values())
    assert verdicts["silent"] <= 0.05 * misread, verdicts


def test_a_total_that_repeats_its_one_number_does_not_confirm_it() -> None:
    """"6 0 0 0 0 0 6" read as "5 0 0 0 0 0 5": the total only repeats the misread figure."""
    name = "dev_003"
    tables, _, _ = misread_tables.answer(name)
    row = tables["requests"]["new_received"]
    assert sum(1 for c, v in row.items() if v and c != "total") == 1
    misread = {("requests", "new_received", c): 15 for c, v in row.items() if v}
    report = misread_tables.parse_misread(name, misread)
    values = report["tables"]["requests"]["new_received"]
    findings = [f for f in report["findings"] if f["where"] == "requests.new_received"]
    assert all(values[c] is None for _, _, c in misread) or findings
    assert findings and all(f["rule"] in ("PARSE-OCR-UNCONFIRMED", "PARSE-OCR-UNCHECKED") for f in findings)


def test_misread_simulation_is_reproducible() -> None:
    rnd = random.Random(1)
    assert misread_tables.misread_digit(1288, rnd) != 1288
    assert misread_tables.simulate("random", 0.05, 2, 9) == misread_tables.simulate("random", 0.05, 2, 9)


def test_known_parts_above_their_total_doubt_rows_their_own_total_confirmed() -> None:
    """A stroke read into a cell and its row's total (1288 → 11288, 1362 → 11362) keeps the row's sum;
    a blank cell elsewhere leaves the column's sum unknown, but its known parts already exceed 三(七)."""
    changes = {("requests", "granted", "natural_person"): 11288, ("requests", "granted", "total"): 11362,
               ("requests", "partially_granted", "natural_person"): "", ("requests", "partially_granted", "total"): ""}
    report = misread_tables.parse_misread("dev_001", changes)
    assert report["tables"]["requests"]["granted"]["natural_person"] is None
    findings = [f for f in report["findings"] if f["where"] == "requests.granted"]
    assert [f["rule"] for f in findings] == ["PARSE-OCR-UNCONFIRMED"]
    assert "12485" in findings[0]["message"] and "2932" in findings[0]["message"]
    # The column's total, vouched for by 一 + 二 = 三 + 四, stands.
    assert report["tables"]["requests"]["total_processed"]["natural_person"] == 2932


def test_photos_and_banners_are_told_from_pictures_of_paper() -> None:
    """A table on white or under coloured fills, or photographed dimly, is paper; a photo or a banner is not."""
    y, x = np.mgrid[0:300, 0:400]
    sky_and_grass = np.where(y[..., None] < 150, [90, 150, 230], [60, 140, 50]) + (x[..., None] % 40) // 2
    photo = Image.fromarray(sky_and_grass.astype(np.uint8))  # a meeting hall, a landscape: colour everywhere
    banner = Image.new("RGB", (800, 90), (20, 70, 160))
    ImageDraw.Draw(banner).text((20, 30), "2024 annual report", fill=(255, 255, 255))
    table = Image.new("RGB", (800, 400), "white")
    draw = ImageDraw.Draw(table)
    for y in range(0, 400, 40):
        draw.line((0, y, 800, y), fill="black")
    filled = table.copy()
    ImageDraw.Draw(filled).rectangle((0, 0, 800, 120), fill=(200, 30, 30))  # a red header theme
    dim = Image.eval(table, lambda v: v * 0.55)  # paper photographed in poor light
    assert not looks_like_paper(photo) and not looks_like_paper(banner)
    assert looks_like_paper(table) and looks_like_paper(filled) and looks_like_paper(dim)
