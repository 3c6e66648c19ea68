"""Real reports turned into text by the tools crawlers and users run, for the scorer.

Reports reach the parser as text someone else extracted: a crawler's HTML-to-text tool, or a
PDF's text from pdftotext or a Python library. Each tool lays a table out its own way (cells glued,
one a line, pipes, blocks of labels then blocks of numbers). This writes, for every tool installed,
a folder of texts beside their answers (``NAME.txt``, ``NAME.gold.json``), to be scored with
``python ../shared/eval/score.py OUT/TOOL --cmd "xxgk parse {file} --json"``:

    python tests/tools/extract_texts.py pages OUT      # corpus reports as web pages (the project's
                                                       # renderer, and inside a site's chrome), through
                                                       # trafilatura, inscriptis, html2text, markdownify,
                                                       # BeautifulSoup's get_text
    python tests/tools/extract_texts.py pdfs DIR OUT   # every DIR/NAME.pdf with its answer (NAME.gold.json
                                                       # or NAME.expected.json) through
                                                       # pdftotext (none, -layout, -raw), pdfminer, pypdf,
                                                       # pdfplumber, PyMuPDF (text and blocks)

The tools are not the project's dependencies: install those to try beside the project in an
environment of its own (``pip install -e . trafilatura lxml_html_clean inscriptis html2text markdownify
beautifulsoup4 pypdf pymupdf``; PyMuPDF is AGPL, fine for measuring); missing ones are skipped. PDFs with answers: ``tests/tools/print_reports.py`` prints corpus reports,
tests/data/pdf holds real ones. Site pages carry no answer for their metadata (it is the site's).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]
CORPUS = TESTS / "data" / "corpus"
Extractor = Callable[[str], str]


def html_tools() -> dict[str, Extractor]:
    """The HTML-to-text tools installed, by name."""
    tools: dict[str, Extractor] = {}
    try:
        import trafilatura  # type: ignore[import-not-found, unused-ignore]  # optional: not a dependency

        tools["trafilatura"] = lambda h: trafilatura.extract(h, include_tables=True, favor_recall=True) or ""
    except ImportError:
        pass
    try:
        import inscriptis  # type: ignore[import-not-found, unused-ignore]  # optional: not a dependency

        tools["inscriptis"] = inscriptis.get_text
    except ImportError:
        pass
    try:
        import html2text  # type: ignore[import-not-found, unused-ignore]  # optional: not a dependency

        def h2t(h: str) -> str:
            converter = html2text.HTML2Text()
            converter.body_width = 0
            return str(converter.handle(h))

        tools["html2text"] = h2t
    except ImportError:
        pass
    try:
        import markdownify  # type: ignore[import-not-found, unused-ignore]  # optional: not a dependency

        tools["markdownify"] = markdownify.markdownify
    except ImportError:
        pass
    try:
        from bs4 import BeautifulSoup  # type: ignore[import-not-found, unused-ignore]  # optional: not a dependency

        tools["bs4_lines"] = lambda h: BeautifulSoup(h, "html.parser").get_text("\n")
        tools["bs4_glued"] = lambda h: BeautifulSoup(h, "html.parser").get_text()
    except ImportError:
        pass
    return tools


def pdf_tools() -> dict[str, Extractor]:
    """The PDF-to-text tools installed, by name."""
    tools: dict[str, Extractor] = {}
    if shutil.which("pdftotext"):
        for name, args in (("pdftotext", []), ("pdftotext_layout", ["-layout"]), ("pdftotext_raw", ["-raw"])):
            tools[name] = _pdftotext(args)
    try:
        from pdfminer.high_level import extract_text

        tools["pdfminer"] = extract_text
    except ImportError:
        pass
    try:
        import pypdf  # type: ignore[import-not-found, unused-ignore]  # optional: not a dependency

        tools["pypdf"] = lambda p: "\n".join(pg.extract_text() or "" for pg in pypdf.PdfReader(p).pages)
    except ImportError:
        pass
    try:
        import pdfplumber

        def plumber(p: str) -> str:
            with pdfplumber.open(p) as pdf:
                return "\n".join(pg.extract_text() or "" for pg in pdf.pages)

        tools["pdfplumber"] = plumber
    except ImportError:
        pass
    try:
        import pymupdf  # type: ignore[import-not-found, unused-ignore]  # optional: not a dependency

        tools["pymupdf"] = lambda p: "\n".join(pg.get_text() for pg in pymupdf.open(p))
        tools["pymupdf_blocks"] = lambda p: "\n".join(b[4] for pg in pymupdf.open(p)
                                                      for b in pg.get_text("blocks", sort=True))
    except ImportError:
        pass
    return tools


def _pdftotext(args: list[str]) -> Extractor:
    """poppler's pdftotext with these options, its text as UTF-8."""
    return lambda path: subprocess.run(["pdftotext", *args, path, "-"], capture_output=True, timeout=120,
                                       check=True).stdout.decode("utf-8", "replace")


def pages(out: Path) -> None:
    """Corpus reports as web pages, through every HTML tool installed."""
    sys.path[:0] = [str(TESTS / "tools"), str(TESTS.parent / "bench"), str(TESTS.parent / "src")]
    import print_reports as pr
    from site_pages import site_page  # type: ignore[import-not-found, unused-ignore]  # bench/, put on the path above

    import xxgk

    sources: list[tuple[str, str, dict[str, object]]] = []
    for i, path in enumerate(sorted(CORPUS.glob("*.expected.json"))):
        name = path.name[: -len(".expected.json")]
        html, answer = pr.page_html(pr.Print(name, name, "210mm 297mm", "www.example.gov.cn", "门户网站"))
        sources.append((name, html, answer))
        site_answer = {"meta": {}, "tables": answer["tables"]}
        sources.append((f"{name}_site", site_page(xxgk.parse(CORPUS / f"{name}.txt"), i), site_answer))
    for tool, extract in html_tools().items():
        folder = out / tool
        folder.mkdir(parents=True, exist_ok=True)
        for name, html, answer in sources:
            (folder / f"{name}.txt").write_text(extract(html), encoding="utf-8")
            (folder / f"{name}.gold.json").write_text(json.dumps(answer, ensure_ascii=False), encoding="utf-8")
        print(f"{tool}: {len(sources)} texts in {folder}")


def pdfs(source: Path, out: Path) -> None:
    """Every PDF with an answer in ``source``, through every PDF tool installed."""
    answers = {pdf: answer for pdf in sorted(source.glob("*.pdf"))
               for answer in (pdf.with_suffix(".gold.json"), pdf.with_suffix(".expected.json")) if answer.exists()}
    for tool, extract in pdf_tools().items():
        folder = out / tool
        folder.mkdir(parents=True, exist_ok=True)
        for pdf, answer in answers.items():
            (folder / f"{pdf.stem}.txt").write_text(extract(str(pdf)), encoding="utf-8")
            shutil.copy(answer, folder / f"{pdf.stem}.gold.json")
        print(f"{tool}: {len(answers)} texts in {folder}")


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "pages":
        pages(Path(sys.argv[2]))
    elif len(sys.argv) == 4 and sys.argv[1] == "pdfs":
        pdfs(Path(sys.argv[2]), Path(sys.argv[3]))
    else:
        raise SystemExit(__doc__)
