"""Print real reports from web pages to PDF with headless Chromium, as users print them, and open them in Word.

A reviewer who saves a report from a government site often prints the page to PDF: the browser adds
a header and a footer on every page (the date and time of printing, the page's title, its address,
``1/3``) and breaks the tables across pages. This tool makes such PDFs from the project's real
reports: the corpus texts (``tests/data/corpus/NAME.txt``) rendered to a web page by the project's own
renderer (``xxgk.render.html``) under a site's title, and the saved web page ``tests/data/html/``. The
pages are served over HTTP under a government-like host name (so the footer shows a real-looking
address), printed on narrow and wide paper, and the same pages converted to Word (``.docx``) with
LibreOffice, as "the page opened in Word".

    python tests/tools/print_reports.py            # writes tests/data/printed/*.pdf, *.docx, *.expected.json
    python tests/tools/print_reports.py --check    # only tells whether the answers would change

The expected answers are the hand-checked answers of the source report (its tables and metadata);
the printed files are committed (each under 200 KB) so the tests need neither Chromium nor LibreOffice.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import json
import shutil
import subprocess
import sys
import tempfile
import threading
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import Any

TESTS = Path(__file__).resolve().parents[1]
DATA = TESTS / "data"
OUT = DATA / "printed"
CHROMIUM = "/usr/bin/chromium"
MAX_BYTES = 200 * 1024
# Chromium prints its header and footer in the system's UI font; the body in a TrueType CJK font
# (Type 3 outlines of OpenType CJK fonts make files of megabytes).
BODY_FONT = '"WenQuanYi Zen Hei", "WenQuanYi Micro Hei", sans-serif'


@dataclass(frozen=True, slots=True)
class Print:
    """One printed report: its source, the paper, and the site it is said to come from."""

    name: str
    source: str  # a corpus name (rendered) or a path under tests/data (a saved web page)
    paper: str  # CSS @page size
    host: str
    site: str  # the site name browsers show after the title
    docx: bool = False
    # The title in an OpenType CJK font, which Chromium embeds as Type 3 outlines: pdfminer then
    # warns "Could not get FontBBox" for every page (the warnings must not reach the user).
    type3_title: bool = False


PRINTS = (
    # The saved web page (site menu, breadcrumb, 发布时间) on Chromium's default Letter paper.
    Print("report_2021.letter", "html/report_2021.html", "letter", "www.cqwl.gov.cn", "", docx=True,
          type3_title=True),
    # 2021 format on narrow A5 paper: every table runs over page breaks.
    Print("dev_001.a5", "dev_001", "148mm 210mm", "www.huaian.gov.cn", "淮安市人民政府", docx=True),
    # 2019 format on wide A4 landscape paper.
    Print("seed_001.a4l", "seed_001_a8be0d3400cd1f54", "297mm 210mm", "www.example.gov.cn", "门户网站"),
    # 2021 format on A4 portrait.
    Print("dev_003.a4", "dev_003", "210mm 297mm", "zwgk.example.gov.cn", "政府信息公开专栏", docx=True),
)


def page_html(job: Print) -> tuple[str, dict[str, Any]]:
    """The web page to print and the answer it must give."""
    style = f"<style>@page {{ size: {job.paper}; }} body, table, h1, h2, p, td, th {{ font-family: {BODY_FONT} !important; }}"
    if job.type3_title:
        style += ' h1 { font-family: "Noto Serif CJK SC" !important; }'
    style += "</style>"
    if job.source.endswith(".html"):
        html = (DATA / job.source).read_text(encoding="utf-8")
        answer = json.loads((DATA / job.source).with_suffix(".expected.json").read_text(encoding="utf-8"))
        return html.replace("</head>", style + "\n</head>", 1), answer
    sys.path.insert(0, str(TESTS.parent / "src"))
    import xxgk
    from xxgk.render.html import report_to_html

    answer = json.loads((DATA / "corpus" / f"{job.source}.expected.json").read_text(encoding="utf-8"))
    report = xxgk.parse(DATA / "corpus" / f"{job.source}.txt")
    html = report_to_html(report)
    title = report.meta.title or ""
    # A site's page: its title carries the site's name, the article a publication line.
    html = html.replace(f"<title>{escape(title)}</title>", f"<title>{escape(title)}_{escape(job.site)}</title>", 1)
    published = answer["meta"].get("published")
    if published:
        html = html.replace("</h1>", f"</h1>\n<p class=\"signature\">发布日期：{published}</p>", 1)
    return html.replace("</head>", style + "\n</head>", 1), answer


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # Chromium's HTTPS attempts are refused: no noise
        pass


def serve(folder: Path) -> tuple[http.server.ThreadingHTTPServer, int]:
    """A local web server for the pages (Chromium prints their http:// address in the footer)."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, server.server_address[1]


def print_pdf(url: str, host: str, port: int, out: Path, profile: Path) -> None:
    """Print a page to PDF with headless Chromium's default header and footer."""
    subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-pdf-tagging", f"--host-resolver-rules=MAP {host} 127.0.0.1:{port}",
         f"--user-data-dir={profile}", f"--print-to-pdf={out}", url],
        check=True, capture_output=True, timeout=120,
    )


def to_docx(html: Path, out: Path) -> None:
    """Open the page in Word: LibreOffice converts the HTML to a .docx."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise SystemExit("LibreOffice (soffice) is needed for the Word files")
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            [soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to",
             "docx:MS Word 2007 XML", "--outdir", str(html.parent), str(html)],
            check=True, capture_output=True, timeout=180,
        )
    shutil.move(html.with_suffix(".docx"), out)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--check", action="store_true", help="only tell whether the answers differ")
    args = ap.parse_args()
    OUT.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="xxgk-print-") as tmp:
        folder = Path(tmp)
        server, port = serve(folder)
        try:
            for job in PRINTS:
                html, answer = page_html(job)
                page = folder / f"{job.name}.html"
                page.write_text(html, encoding="utf-8")
                expected = OUT / f"{job.name}.expected.json"
                text = json.dumps(answer, ensure_ascii=False, indent=1) + "\n"
                if args.check:
                    same = expected.exists() and expected.read_text(encoding="utf-8") == text
                    print(f"{job.name}: {'same' if same else 'DIFFERS'}")
                    continue
                expected.write_text(text, encoding="utf-8")
                pdf = OUT / f"{job.name}.pdf"
                profile = folder / f"profile-{job.name}"
                print_pdf(f"http://{job.host}/{page.name}", job.host, port, pdf, profile)
                if job.docx:
                    to_docx(page, OUT / f"{job.name}.docx")
                for made in (pdf, OUT / f"{job.name}.docx"):
                    if made.exists():
                        size = made.stat().st_size
                        flag = "" if size <= MAX_BYTES else "  (over 200 KB: shorten the page)"
                        print(f"{made.relative_to(TESTS.parent)}: {size // 1024} KB{flag}")
        finally:
            server.shutdown()


if __name__ == "__main__":
    main()
