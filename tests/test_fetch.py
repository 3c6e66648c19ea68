"""Reading reports from web addresses, against a local HTTP server (nothing reaches the internet).

The server (a thread on 127.0.0.1, port 0) serves real reports: the HTML report page, every
corpus report wrapped as a GBK page (with a right, a wrong or no charset header), a notice
page whose report is an attached Word file made from the official template, a CMS download
link to a real published PDF, and the ways servers fail: redirects (one, and a loop), 404,
500, a busy 503, a server too slow to answer, a body without end.
"""

from __future__ import annotations

import gzip
import html
import json
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import pytest

import xxgk
from conftest import DATA, corpus_names, expected, report_path
from test_read_docx_pdf import build_report_docx
from xxgk.guard import Limits, ReadTimeout, WatchedPool
from xxgk.parse.source import read_url
from xxgk.read import ReadError
from xxgk.read.fetch import FetchLimits, PageImages
from xxgk.read.fetch_charset import bytes_for_reader
from xxgk.read.fetch_http import Fetcher, is_public
from xxgk.read.fetch_links import attachment_links

PDF = "001p"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64  # only its bytes matter to the resolver
NOTICE_TITLE = "重庆市武隆区人民政府办公室2022年政府信息公开工作年度报告"


# --- the server ---------------------------------------------------------------------------------


Handler = Callable[[BaseHTTPRequestHandler], None]


@dataclass
class Site:
    """The running test server: its address, its routes and the paths it was asked for."""

    base: str
    requested: list[str]
    # The tables the attached Word report was filled with.
    docx_answer: dict[str, Any]

    def url(self, path: str) -> str:
        return self.base + path


def send(body: bytes, content_type: str, status: int = 200, headers: dict[str, str] | None = None) -> Handler:
    def handle(request: BaseHTTPRequestHandler) -> None:
        request.send_response(status)
        request.send_header("Content-Type", content_type)
        request.send_header("Content-Length", str(len(body)))
        for key, value in (headers or {}).items():
            request.send_header(key, value)
        request.end_headers()
        request.wfile.write(body)

    return handle


def redirect(to: str, status: int = 302) -> Handler:
    def handle(request: BaseHTTPRequestHandler) -> None:
        request.send_response(status)
        request.send_header("Location", to)
        request.send_header("Content-Length", "0")
        request.end_headers()

    return handle


def stream(chunk: bytes, count: int, pause: float, length: str | None = None) -> Handler:
    """A body sent in ``count`` chunks (close-delimited), stopping when the client hangs up."""

    def handle(request: BaseHTTPRequestHandler) -> None:
        request.send_response(200)
        request.send_header("Content-Type", "text/html; charset=utf-8")
        if length is not None:
            request.send_header("Content-Length", length)
        request.send_header("Connection", "close")
        request.end_headers()
        try:
            for _ in range(count):
                request.wfile.write(chunk)
                request.wfile.flush()
                if pause:
                    time.sleep(pause)
        except OSError:
            pass  # the client gave up, as it should

    return handle


def busy_once(then: Handler) -> Handler:
    """503 on the first request, ``then`` afterwards: a server busy for a moment."""
    calls = [0]

    def handle(request: BaseHTTPRequestHandler) -> None:
        calls[0] += 1
        if calls[0] == 1:
            send(b"busy", "text/plain", status=503)(request)
        else:
            then(request)

    return handle


def page(body: str, title: str = "", charset: str | None = "utf-8") -> str:
    meta = f'<meta http-equiv="Content-Type" content="text/html; charset={charset}">' if charset else ""
    nav = '<div class="crumb">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a> &gt; 年度报告</div>'
    return f"<!DOCTYPE html><html><head>{meta}<title>{title}</title></head><body>{nav}{body}</body></html>"


def report_page(name: str, charset: str | None) -> str:
    """A corpus report as a web page: one paragraph per line of the published text."""
    text = report_path(name).read_text(encoding="utf-8")
    lines = "\n".join(f"<p>{html.escape(line)}</p>" for line in text.splitlines() if line.strip())
    return page(f'<div class="content">{lines}</div>', title="政府信息公开工作年度报告", charset=charset)


def notice(link: str, extra: str = "") -> str:
    """A short notice page whose report is an attached file."""
    return page(
        f"<h1>{NOTICE_TITLE}</h1><div>发布时间：2023-01-18 09:30 来源：区政府办公室</div>"
        f"<p>现将{NOTICE_TITLE}予以公布。</p>{extra}<p>附件：{link}</p>",
        title=NOTICE_TITLE,
    )


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    docx_path = tmp_path_factory.mktemp("web") / "report.docx"
    docx_answer = build_report_docx(docx_path)
    report_html = (DATA / "html" / "report_2021.html").read_bytes()
    pdf = (DATA / "pdf" / f"{PDF}.pdf").read_bytes()
    routes: dict[str, Handler] = {
        "/report.html": send(report_html, "text/html; charset=utf-8"),
        "/report-gzip.html": send(gzip.compress(report_html), "text/html", headers={"Content-Encoding": "gzip"}),
        "/report-with-attachment.html": send(
            report_html.replace(
                b"</h1>", '</h1><p>附件：<a href="/files/never.pdf">政府信息公开工作年度报告.pdf</a></p>'.encode(), 1
            ),
            "text/html; charset=utf-8",
        ),
        "/files/never.pdf": send(pdf, "application/pdf"),
        "/notice-docx.html": send(
            notice(
                '<a href="/files/report.docx">2022年政府信息公开工作年度报告.docx</a>',
                extra='<p><a href="/files/form.doc">政府信息公开申请表.doc</a></p>',
            ).encode(),
            "text/html; charset=utf-8",
        ),
        "/files/report.docx": send(
            docx_path.read_bytes(), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        ),
        "/files/form.doc": send(b"never fetched", "application/msword"),
        "/notice-pdf.html": send(
            notice(
                '<a href="/uploads/gone.pdf">政府信息公开工作年度报告（全文）.pdf</a> '
                '<a href="/module/download/downfile.jsp?classid=0&amp;filename=2211d.pdf">'
                "2022年度报告（全文）</a>"
            ).encode("gb18030"),
            "text/html; charset=gb2312",
        ),
        "/module/download/downfile.jsp": send(pdf, "application/octet-stream"),
        "/notice-nothing.html": send(
            notice('<a href="/uploads/gone.pdf">政府信息公开工作年度报告.pdf</a>').encode(), "text/html"
        ),
        "/report.pdf": send(pdf, "application/pdf"),
        "/old": redirect("/moved"),
        "/moved": redirect("/report.html", 301),
        "/loop/a": redirect("/loop/b"),
        "/loop/b": redirect("/loop/a"),
        "/to-ftp": redirect("ftp://127.0.0.1/report.html"),
        "/error": send("内部错误".encode(), "text/plain; charset=utf-8", status=500),
        "/busy": busy_once(send(report_html, "text/html; charset=utf-8")),
        "/slow": stream(b"<html>", count=3, pause=1.0),
        "/drip": stream(b"<p>x</p>", count=60, pause=0.05),
        "/endless": stream(b"<p>" + b"x" * 65536 + b"</p>", count=400, pause=0),
        "/huge": stream(b"<p>x</p>", count=1, pause=0, length=str(10**12)),
        "/news.html": send(
            page("<h1>我区举办春季招聘会</h1><p>3月5日，我区在体育馆举办春季招聘会，120家企业参加。</p>").encode(),
            "text/html; charset=utf-8",
        ),
        "/img/table.png": send(PNG, "image/png"),
        "/img/login": send(page("<p>请登录</p>").encode(), "text/html; charset=utf-8"),
    }
    for name in corpus_names():
        gbk = report_page(name, charset=None).encode("gb18030")
        with_meta = report_page(name, charset="gb2312").encode("gb18030")
        routes[f"/corpus/{name}/header.html"] = send(gbk, "text/html; charset=GBK")
        routes[f"/corpus/{name}/wrong-header.html"] = send(with_meta, "text/html; charset=utf-8")
        routes[f"/corpus/{name}/no-header.html"] = send(with_meta, "text/html")
        routes[f"/corpus/{name}/latin1-header.html"] = send(with_meta, "text/html; charset=ISO-8859-1")
    requested: list[str] = []

    class Handle(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            path = self.path.split("?")[0]
            requested.append(path)
            handler = routes.get(path)
            if handler is None:
                send("页面不存在".encode(), "text/html; charset=utf-8", status=404)(self)
            else:
                handler(self)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handle)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield Site(f"http://127.0.0.1:{server.server_address[1]}", requested, docx_answer)
    server.shutdown()
    server.server_close()


FAST = FetchLimits(connect_timeout=2, read_timeout=2, deadline=20)


# --- real reports from web pages ----------------------------------------------------------------


def test_report_page_reads_as_the_file_does(site: Site) -> None:
    url = site.url("/report.html")
    report = xxgk.parse(url).to_dict()
    local = xxgk.parse(DATA / "html" / "report_2021.html").to_dict()
    assert report["source"]["name"] == url
    assert report["source"]["format"] == "html"
    assert report["source"]["sha256"] == local["source"]["sha256"]
    assert report["tables"] == local["tables"]
    assert report["meta"] == local["meta"]
    assert report["tables"]["requests"] is not None


@pytest.mark.parametrize("name", corpus_names())
def test_corpus_reports_served_as_gbk_pages(site: Site, name: str) -> None:
    """Every real report, as a GBK page labelled only by the HTTP header, reads right."""
    report = xxgk.parse(site.url(f"/corpus/{name}/header.html")).to_dict()
    local = xxgk.parse(report_path(name)).to_dict()
    assert report["tables"] == local["tables"]
    assert report["meta"]["title"] == local["meta"]["title"]
    want = expected(name)
    for key, value in want["meta"].items():
        assert report["meta"][key] == value, key
    known_misses = {"dev_010": 3}.get(name, 0)  # flagged glued rows, as in test_corpus
    wrong = [
        f"{table}.{row}.{col}"
        for table, rows in want["tables"].items() if rows is not None
        for row, cols in rows.items()
        for col, value in cols.items()
        if value != "?" and (report["tables"][table] or {}).get(row, {}).get(col) != value
    ]
    assert len(wrong) <= known_misses, wrong


@pytest.mark.parametrize("variant", ["header", "wrong-header", "no-header", "latin1-header"])
@pytest.mark.parametrize("name", ["seed_001_a8be0d3400cd1f54", "dev_002"])
def test_page_encoding_from_header_or_meta(site: Site, name: str, variant: str) -> None:
    """GBK pages: right header, wrong header (utf-8, iso-8859-1) with a <meta>, no header."""
    doc = read_url(site.url(f"/corpus/{name}/{variant}.html"))
    assert "\ufffd" not in doc.text
    assert not doc.notes
    report = xxgk.parse(site.url(f"/corpus/{name}/{variant}.html")).to_dict()
    assert report["tables"] == xxgk.parse(report_path(name)).to_dict()["tables"]
    assert report["meta"]["agency"] == expected(name)["meta"]["agency"]


def test_header_charset_is_used_when_the_bytes_agree() -> None:
    text = report_path("seed_001_a8be0d3400cd1f54").read_text(encoding="utf-8")
    gbk = f"<html><body><p>{text}</p></body></html>".encode("gb18030")
    agreed = bytes_for_reader(gbk, "text/html", "GBK")
    assert agreed.startswith(b"\xef\xbb\xbf") and agreed[3:].decode("utf-8") == gbk.decode("gb18030")
    # A wrong label (the bytes are not UTF-8; Latin-1 decodes anything into nonsense) is ignored.
    assert bytes_for_reader(gbk, "text/html", "utf-8") is gbk
    assert bytes_for_reader(gbk, "text/html", "iso-8859-1") is gbk
    assert bytes_for_reader(gbk, "text/html", "no-such-charset") is gbk
    # Files are never transcoded, whatever the header says.
    pdf = (DATA / "pdf" / f"{PDF}.pdf").read_bytes()
    assert bytes_for_reader(pdf, "application/pdf", "gbk") is pdf
    # Big5 bytes labelled Big5 stay Big5 (traditional characters, not GBK mojibake).
    big5 = "<p>政府資訊公開年度報告，收到申請十二件。</p>".encode("cp950")
    assert bytes_for_reader(big5, "text/html", "big5")[3:].decode("utf-8") == big5.decode("cp950")


def test_gzip_encoded_page(site: Site) -> None:
    report = xxgk.parse(site.url("/report-gzip.html")).to_dict()
    assert report["tables"] == xxgk.parse(DATA / "html" / "report_2021.html").to_dict()["tables"]


def test_pdf_address_reads_the_pdf(site: Site) -> None:
    report = xxgk.parse(site.url("/report.pdf")).to_dict()
    want = json.loads((DATA / "pdf" / f"{PDF}.expected.json").read_text(encoding="utf-8"))
    assert report["source"]["format"] == "pdf"
    assert report["tables"] == xxgk.parse(DATA / "pdf" / f"{PDF}.pdf").to_dict()["tables"]
    assert report["meta"]["year"] == want["meta"]["year"]


# --- attachments --------------------------------------------------------------------------------


def test_notice_page_with_word_attachment(site: Site) -> None:
    """The page only announces the report: the tables come from the attached .docx."""
    url = site.url("/notice-docx.html")
    report = xxgk.parse(url).to_dict()
    assert report["source"] == {**report["source"], "name": url, "format": "docx"}
    assert report["tables"] == site.docx_answer["tables"]
    # The date the page was published comes from the page, the title from the report itself.
    assert report["meta"]["published"] == "2023-01-18"
    assert report["meta"]["agency"] == "重庆市武隆区人民政府办公室"
    # Which file the report was read from is worth knowing, not a problem: an info finding.
    sources = [f for f in report["findings"] if f["rule"] == "READ-SOURCE"]
    assert any("附件" in f["message"] and "/files/report.docx" in f["message"] for f in sources), sources
    assert all(f["severity"] == "info" for f in sources)
    assert not [f for f in report["findings"] if f["rule"] == "READ-NOTE"]
    assert "/files/form.doc" not in site.requested  # the application form is not the report


def test_cms_download_link_after_a_broken_attachment(site: Site) -> None:
    """A GB2312 notice: the first attachment is gone (404), the CMS download link is the PDF."""
    url = site.url("/notice-pdf.html")
    doc = read_url(url)
    assert doc.format == "pdf" and doc.name == url
    assert any("404" in n and "gone.pdf" in n for n in doc.notes), doc.notes
    report = xxgk.parse(url).to_dict()
    local = xxgk.parse(DATA / "pdf" / f"{PDF}.pdf").to_dict()
    want = json.loads((DATA / "pdf" / f"{PDF}.expected.json").read_text(encoding="utf-8"))
    assert report["tables"] == local["tables"]
    for table, rows in want["tables"].items():
        for row, cols in (rows or {}).items():
            for col, value in cols.items():
                assert value == "?" or report["tables"][table][row][col] == value, (table, row, col)
    assert report["meta"]["published"] == "2023-01-18"


def test_page_holding_the_report_is_read_and_its_attachment_left(site: Site) -> None:
    report = xxgk.parse(site.url("/report-with-attachment.html")).to_dict()
    assert report["source"]["format"] == "html"
    assert report["tables"] == xxgk.parse(DATA / "html" / "report_2021.html").to_dict()["tables"]
    assert "/files/never.pdf" not in site.requested


def test_notice_whose_attachment_is_gone_says_so(site: Site) -> None:
    """No tables on the page and none to fetch: null tables, and a finding naming the failure."""
    report = xxgk.parse(site.url("/notice-nothing.html")).to_dict()
    assert report["source"]["format"] == "html"
    assert report["meta"]["year"] == 2022 and report["meta"]["published"] == "2023-01-18"
    assert all(table is None for table in report["tables"].values())
    notes = [f["message"] for f in report["findings"] if f["rule"] == "READ-NOTE"]
    assert any("附件无法读取" in n and "HTTP 404" in n and "gone.pdf" in n for n in notes), notes


def test_attachment_links_ranked() -> None:
    page_html = page(
        '<a href="/guide.pdf">政府信息公开指南.pdf</a>'
        '<a href="/x/download.jsp?id=7">附件：某区2022年政府信息公开工作年度报告.docx</a>'
        '<a href="/a/b.html">新闻</a>'
        '<a href="/files/%E5%B9%B4%E6%8A%A5.wps">下载</a>'
        '<iframe src="/pdfjs/web/viewer.html?file=%2Fuploads%2F2022%E5%B9%B4%E6%8A%A5.pdf"></iframe>'
        '<a href="/files/data.xls">统计表.xls</a>'
    )
    links = attachment_links(page_html, "http://example.test/zwgk/notice.html")
    assert [a.url for a in links] == [
        "http://example.test/x/download.jsp?id=7",
        "http://example.test/uploads/2022年报.pdf",
        "http://example.test/files/%E5%B9%B4%E6%8A%A5.wps",
        "http://example.test/files/data.xls",
        "http://example.test/guide.pdf",
    ]


# --- how servers fail ---------------------------------------------------------------------------


def test_one_redirect_and_permanent_redirect(site: Site) -> None:
    report = xxgk.parse(site.url("/old")).to_dict()
    assert report["source"]["name"] == site.url("/old")
    assert report["tables"]["requests"] is not None


@pytest.mark.parametrize(
    ("path", "limits", "message"),
    [
        ("/missing.html", FAST, "HTTP 404"),
        ("/error", FAST, "HTTP 500"),
        ("/loop/a", FAST, "重定向次数过多"),
        ("/to-ftp", FAST, "不支持的协议"),
        ("/slow", FetchLimits(read_timeout=0.3), "超时"),
        ("/drip", FetchLimits(read_timeout=1, deadline=0.5), "超时"),
        ("/endless", FetchLimits(max_bytes=1024 * 1024), "内容过大"),
        ("/huge", FAST, "内容过大"),
    ],
)
def test_server_failures_are_clear_chinese_errors(site: Site, path: str, limits: FetchLimits, message: str) -> None:
    # In a watched process with a generous deadline: a fetch that hung on the bad server would end in
    # the guard's 读取超时 instead of the fetcher's own error (no stopwatch in the test).
    with WatchedPool(Limits(seconds=120)) as pool, pytest.raises(ReadError) as caught:
        pool.run(read_url, site.url(path), limits)
    assert not isinstance(caught.value, ReadTimeout), "the fetch did not end by itself"
    assert message in str(caught.value)
    assert site.url(path) in str(caught.value)
    assert "\n" not in str(caught.value)


def test_busy_server_is_tried_again(site: Site) -> None:
    assert read_url(site.url("/busy"), FAST).format == "html"


def test_page_that_is_no_report(site: Site) -> None:
    with pytest.raises(ReadError, match="年度报告"):
        xxgk.parse(site.url("/news.html"))


@pytest.mark.parametrize(
    ("url", "message"),
    [("ftp://127.0.0.1/report.html", "只支持 http"), ("http://", "网址"), ("http://[::1", "网址无效")],
)
def test_addresses_that_are_not_web_addresses(url: str, message: str) -> None:
    with pytest.raises(ReadError, match=message.replace("(", r"\(")):
        read_url(url)


def test_refused_connection() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(ReadError, match="拒绝连接"):
        read_url(f"http://127.0.0.1:{port}/report.html", FAST)


def test_unknown_host(monkeypatch: pytest.MonkeyPatch) -> None:
    """DNS failure, simulated so that no query leaves the machine."""

    def fail(*args: Any, **kwargs: Any) -> Any:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", fail)
    with pytest.raises(ReadError, match=r"无法解析域名 www\.example\.invalid"):
        read_url("http://www.example.invalid/report.html", FAST)


def test_private_addresses_can_be_refused(site: Site) -> None:
    """A web service taking addresses from users turns allow_private off: no probing its network."""
    with pytest.raises(ReadError, match="内网"):
        read_url(site.url("/report.html"), FetchLimits(allow_private=False))
    assert "/report.html" not in site.requested[-1:]  # refused before any request was sent
    assert read_url(site.url("/report.html")).format == "html"  # the CLI's default allows it


# --- images of a page ---------------------------------------------------------------------------


def test_page_images_resolved_against_the_page_within_limits(site: Site) -> None:
    limits = FetchLimits(max_images=2, max_image_bytes=1024)
    with Fetcher(limits) as fetcher:
        images = PageImages(fetcher, site.url("/zwgk/2023/report.html"))
        assert images("../../img/table.png") == PNG
        assert images("/img/table.png") == PNG  # the same image, not fetched again
        assert images("/img/login") is None  # an HTML page is no image
        assert images("/img/missing.png") is None  # over the count limit
        assert images("data:image/png;base64,iVBORw0KGgo=") == b"\x89PNG\r\n\x1a\n"
        notes = images.notes()
    assert site.requested.count("/img/table.png") == 1
    assert any("不是图片" in n for n in notes), notes
    assert any("超过 2 张" in n for n in notes), notes


# --- the command line ---------------------------------------------------------------------------


def xxgk_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "xxgk.cli", *args], capture_output=True, text=True, timeout=120)


def test_cli_parse_url_gives_the_tables_of_the_file(site: Site) -> None:
    name = "seed_001_a8be0d3400cd1f54"
    web = xxgk_cli("parse", site.url(f"/corpus/{name}/header.html"), "--json")
    assert web.returncode == 0, web.stderr
    local = xxgk_cli("parse", str(report_path(name)), "--json")
    assert json.loads(web.stdout)["tables"] == json.loads(local.stdout)["tables"]
    assert json.loads(web.stdout)["source"]["name"] == site.url(f"/corpus/{name}/header.html")


def test_cli_parse_and_check_of_a_missing_page_exit_2(site: Site) -> None:
    for command in ("parse", "check"):
        proc = xxgk_cli(command, site.url("/missing.html"))
        assert proc.returncode == 2
        assert proc.stderr.strip().count("\n") == 0, proc.stderr
        assert "HTTP 404" in proc.stderr and "Traceback" not in proc.stderr


def test_cli_check_url_and_file_together(site: Site) -> None:
    proc = xxgk_cli("check", site.url("/notice-docx.html"), str(report_path("dev_002")), "--json")
    assert proc.returncode in (0, 1), proc.stderr
    records = [json.loads(line) for line in proc.stdout.splitlines()]
    assert [r["file"] for r in records] == [site.url("/notice-docx.html"), str(report_path("dev_002"))]
    assert records[0]["meta"]["year"] == 2022


def test_cli_terminal_output_for_a_url(site: Site) -> None:
    proc = xxgk_cli("parse", site.url("/report.html"))
    assert proc.returncode == 0, proc.stderr
    assert "收到和处理政府信息公开申请情况" in proc.stdout


class _Resolver:
    """A DNS that answers each lookup of a name from a script (the last answer repeats), counting lookups."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, answers: dict[str, list[list[str]]]) -> None:
        self.answers = answers
        self.asked: list[str] = []
        real = socket.getaddrinfo

        def lookup(host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
            if host not in self.answers:
                return real(host, port, *args, **kwargs)
            self.asked.append(host)
            script = self.answers[host]
            addresses = script[min(len(self.asked) - 1, len(script) - 1)]
            return [(socket.AF_INET6 if ":" in a else socket.AF_INET, socket.SOCK_STREAM, 6, "", (a, port))
                    for a in addresses]

        monkeypatch.setattr(socket, "getaddrinfo", lookup)


def test_a_rebinding_name_is_resolved_once_and_connected_where_checked(monkeypatch: pytest.MonkeyPatch) -> None:
    """DNS rebinding: public when checked, this machine a moment later. The connection goes where the check looked."""
    dns = _Resolver(monkeypatch, {"rebind.example": [["93.184.216.34"], ["127.0.0.1"]]})
    seen: list[httpx.Request] = []

    def server(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, html="<p>ok</p>")

    with Fetcher(FetchLimits(allow_private=False), transport=httpx.MockTransport(server)) as fetcher:
        fetched = fetcher.get("https://rebind.example/report.html")
        assert fetched.url == "https://rebind.example/report.html"
        assert dns.asked == ["rebind.example"]  # one lookup: the checked answer is the one connected to
        assert seen[0].url.host == "93.184.216.34" and seen[0].url.path == "/report.html"
        assert seen[0].headers["host"] == "rebind.example"  # the site is asked for by its name,
        assert seen[0].extensions["sni_hostname"] == "rebind.example"  # and its certificate checked against it
        with pytest.raises(ReadError, match="内网"):  # the next connection's lookup is checked anew
            fetcher.get("https://rebind.example/again.html")
    assert len(seen) == 1


def test_a_name_with_any_private_address_is_refused_before_connecting(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    port = site.base.rsplit(":", 1)[1]
    _Resolver(monkeypatch, {"mixed.example": [["93.184.216.34", "127.0.0.1"]], "local.example": [["127.0.0.1"]]})
    before = len(site.requested)
    for name in ("mixed.example", "local.example"):
        with pytest.raises(ReadError, match="内网"):
            read_url(f"http://{name}:{port}/report.html", FetchLimits(allow_private=False))
    assert len(site.requested) == before  # nothing reached the server on this machine
    assert read_url(f"http://local.example:{port}/report.html").format == "html"  # the CLI's default allows it


def test_an_ipv6_answer_is_connected_to_in_brackets(monkeypatch: pytest.MonkeyPatch) -> None:
    _Resolver(monkeypatch, {"v6.example": [["2606:4700::1111"]]})
    seen: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, text="ok")

    transport = httpx.MockTransport(answer)
    with Fetcher(FetchLimits(allow_private=False), transport=transport) as fetcher:
        fetcher.get("http://v6.example:8080/a?b=1")
    assert str(seen[0].url) == "http://[2606:4700::1111]:8080/a?b=1" and seen[0].headers["host"] == "v6.example:8080"


@pytest.mark.parametrize("address", [
    "127.0.0.1", "10.1.2.3", "192.168.0.1", "100.64.0.1", "169.254.169.254", "0.0.0.0", "224.0.0.1",
    "::1", "fe80::1", "fc00::1", "::ffff:127.0.0.1", "::ffff:8.8.8.8", "::127.0.0.1", "::10.0.0.1",
    "fec0::1", "2002:7f00:1::1", "2002:808:808::1", "64:ff9b::7f00:1", "64:ff9b::a00:1", "64:ff9b:1::808:808",
    "2001::1", "not an address",
])
def test_addresses_that_are_not_public(address: str) -> None:
    assert not is_public(address)


@pytest.mark.parametrize("address", ["8.8.8.8", "93.184.216.34", "2606:4700::1111", "64:ff9b::808:808"])
def test_public_addresses(address: str) -> None:
    """NAT64's well-known prefix is judged by the IPv4 address inside (an IPv6-only network reaches the web so)."""
    assert is_public(address)
