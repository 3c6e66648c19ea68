"""Government sites served on 127.0.0.1 for harvest tests, made from real published reports.

``county_sites()`` starts two servers (a county portal and a slow host) laid out as government
CMSs are: robots.txt, a home page with a 政府信息公开 link, a shared 年报 column over two pages,
a department's own column with pagination, report pages (UTF-8 and GBK), a notice page whose
report is an attached PDF, a 404, a redirect loop, a body whose report is missing, and a host too
slow to answer. Every report is a real one (``examples/wulong_2022.txt``, and
``chongqing_waiban_2022.txt`` whose tables are pictures) with the body's name put in, published on
the date the scenario needs. Both servers answer conditional requests (ETag, Last-Modified) with 304
and log every request, so a test can tell what was downloaded.

Run it by hand to look at the harvest yourself: ``python tests/sites.py`` prints the roster file
and keeps serving until Ctrl-C.
"""

from __future__ import annotations

import contextlib
import hashlib
import html
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
YEAR = 2022
REGION = "500156"  # 重庆市武隆区
MODIFIED = "Wed, 01 Feb 2023 08:00:00 GMT"


@dataclass
class Route:
    body: bytes = b""
    content_type: str = "text/html; charset=utf-8"
    status: int = 200
    location: str | None = None
    delay: float = 0.0


@dataclass
class Hit:
    path: str
    status: int
    conditional: bool


@dataclass
class Server:
    """One running host: its base address, routes, and the requests it answered."""

    base: str
    routes: dict[str, Route]
    hits: list[Hit] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def url(self, path: str) -> str:
        return self.base + path

    def downloads(self) -> list[str]:
        """Paths answered with a body (200) since the log was last cleared."""
        with self.lock:
            return [h.path for h in self.hits if h.status == 200]

    def clear(self) -> None:
        with self.lock:
            self.hits.clear()


def _serve(routes: dict[str, Route]) -> tuple[ThreadingHTTPServer, Server]:
    server_box: list[Server] = []

    class Handle(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            me = server_box[0]
            route = me.routes.get(self.path.split("#")[0])
            conditional = bool(self.headers.get("If-None-Match") or self.headers.get("If-Modified-Since"))
            if route is None:
                self._answer(me, 404, b"not found", "text/plain", conditional)
                return
            if route.delay:
                time.sleep(route.delay)
            if route.location is not None:
                self.send_response(302)
                self.send_header("Location", route.location)
                self.send_header("Content-Length", "0")
                self.end_headers()
                with me.lock:
                    me.hits.append(Hit(self.path, 302, conditional))
                return
            etag = '"' + hashlib.sha1(route.body).hexdigest() + '"'
            if route.status == 200 and (self.headers.get("If-None-Match") == etag
                                        or self.headers.get("If-Modified-Since") == MODIFIED):
                self.send_response(304)
                self.send_header("ETag", etag)
                self.end_headers()
                with me.lock:
                    me.hits.append(Hit(self.path, 304, conditional))
                return
            self._answer(me, route.status, route.body, route.content_type, conditional, etag)

        def _answer(self, me: Server, status: int, body: bytes, kind: str, conditional: bool,
                    etag: str | None = None) -> None:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            if etag:
                self.send_header("ETag", etag)
                self.send_header("Last-Modified", MODIFIED)
            self.end_headers()
            with contextlib.suppress(OSError):  # the client gave up (a time-out test)
                self.wfile.write(body)
            with me.lock:
                me.hits.append(Hit(self.path, status, conditional))

        def log_message(self, format: str, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handle)
    httpd.daemon_threads = True
    server_box.append(Server(f"http://127.0.0.1:{httpd.server_address[1]}", routes))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd, server_box[0]


# --- pages made from real reports ---------------------------------------------------------------------


def report_text(example: str, agency_was: str, agency: str, date_line: str | None = None) -> str:
    """A real report with another body's name in it (and its date line replaced)."""
    text = (EXAMPLES / example).read_text(encoding="utf-8").replace(agency_was, agency)
    if date_line is not None:
        lines = [line for line in text.splitlines() if not line.startswith(("日期:", "发布时间:"))]
        text = "\n".join(lines)
    return text


def report_page(title: str, text: str, published: str, charset: str = "utf-8") -> bytes:
    """A report page as CMSs print them: breadcrumbs, the title, the date, the text a paragraph a line."""
    paragraphs = "\n".join(f"<p>{html.escape(line)}</p>" for line in text.splitlines() if line.strip())
    page = (f'<!DOCTYPE html><html><head><meta http-equiv="Content-Type" content="text/html; charset={charset}">'
            f"<title>{html.escape(title)}</title></head><body>"
            '<div class="nav">您当前的位置：首页 &gt; 政务公开 &gt; 政府信息公开年报</div>'
            f'<h1>{html.escape(title)}</h1><div class="info">发布时间：{published}</div>'
            f'<div class="content">{paragraphs}</div><img src="/images/logo.png" alt="标志"></body></html>')
    return page.encode("gb18030" if charset.lower() in ("gbk", "gb2312", "gb18030") else "utf-8")


def list_page(title: str, entries: list[tuple[str, str, str]], next_href: str | None = None) -> bytes:
    """A column's list page: (href, link text, date) per report, newest first, and the link to the next page."""
    items = "\n".join(f'<li><a href="{href}" target="_blank">{html.escape(text)}</a><span>{date}</span></li>'
                      for href, text, date in entries)
    pager = f'<div class="page"><a href="{next_href}">下一页</a></div>' if next_href else ""
    return (f"<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>{title}</title></head><body>"
            f"<h2>{title}</h2><ul class=\"list\">{items}</ul>{pager}</body></html>").encode()


def notice_page(title: str, published: str, attachment_href: str, attachment_name: str) -> bytes:
    """A short notice whose report is only in the attached file."""
    return (f"<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>{title}</title></head><body>"
            f"<h1>{title}</h1><div class=\"info\">发布时间：{published}</div>"
            f"<p>现将本单位{YEAR}年政府信息公开工作年度报告予以公布，详见附件。</p>"
            f'<p>附件：<a href="{attachment_href}">{attachment_name}</a></p></body></html>').encode()


def pdf_of(text: str, name: str) -> bytes:
    """A real report's text as the PDF an office publishes (xxgk's own Word-and-PDF renderer, official form)."""
    import xxgk
    from xxgk.render.pdf import report_to_pdf

    return report_to_pdf(xxgk.parse(text.encode("utf-8"), name))


PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
       b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")


@dataclass
class County:
    """The running sites of 重庆市武隆区 and the roster file that lists its bodies."""

    portal: Server
    slow: Server
    roster_csv: str
    expected: dict[str, str]  # body → found | not_found | failed
    late: set[str]


def _county_routes(slow_base: str) -> tuple[dict[str, Route], str, dict[str, str], set[str]]:
    wl = "重庆市武隆区"
    gov, office, stats, edu, fin = (wl + "人民政府", wl + "人民政府办公室", wl + "统计局", wl + "教育委员会",
                                    wl + "财政局")
    title = f"{YEAR}年政府信息公开工作年度报告"
    routes: dict[str, Route] = {
        "/robots.txt": Route(b"User-agent: *\nDisallow: /admin/\n", "text/plain"),
        "/images/logo.png": Route(PNG, "image/png"),
        # The portal's home page: the disclosure section, where the annual-report column is.
        "/": Route("<html><head><meta charset='utf-8'><title>武隆区人民政府</title></head><body>"
                   "<a href='/xxgk/'>政府信息公开</a><a href='/news/'>新闻</a></body></html>".encode()),
        "/xxgk/": Route("<html><head><meta charset='utf-8'></head><body><a href='/xxgk/zn/'>政府信息公开指南</a>"
                        "<a href='/xxgk/nb/'>政府信息公开年报</a></body></html>".encode()),
        # The shared column, newest first, over two pages.
        "/xxgk/nb/": Route(list_page("政府信息公开年报", [
            ("/xxgk/nb/2023/gov.html", f"{gov}2023年政府信息公开工作年度报告", "2024-03-20"),
            ("/xxgk/nb/2022/gov.html", f"{gov}{title}", "2023-03-20"),
            ("/xxgk/nb/2022/jw.html", f"武隆区教育委员会关于{title}的公告", "2023-01-20"),
            ("/xxgk/nb/2021/czj.html", f"{fin}2021年政府信息公开工作年度报告", "2022-01-25"),
        ], "/xxgk/nb/index_1.html")),
        "/xxgk/nb/index_1.html": Route(list_page("政府信息公开年报", [
            ("/xxgk/nb/2022/bgs.html", f"{office}{title}", "2023-01-18"),
            ("/xxgk/nb/2021/gov.html", f"{gov}2021年政府信息公开工作年度报告", "2022-03-25"),
        ])),
        # The statistics bureau's own column: this year's list first, its 2022 report on page 2.
        "/tjj/nb/": Route(list_page("统计局 信息公开年报", [
            ("/tjj/nb/2024.html", f"{stats}2024年政府信息公开工作年度报告", "2025-01-20"),
            ("/tjj/nb/2023.html", f"{stats}2023年政府信息公开工作年度报告", "2024-01-22"),
        ], "/tjj/nb/index_1.html")),
        "/tjj/nb/index_1.html": Route(list_page("统计局 信息公开年报", [
            ("/tjj/nb/2022.html", f"{stats}{title}", "2023-02-15"),
        ])),
        # A bureau whose column exists no more, one that loops, one behind robots.txt.
        "/jtw/nb/": Route(b"gone", "text/plain", status=404),
        "/wlw/nb/": Route(location="/wlw/nb/index.html"),
        "/wlw/nb/index.html": Route(location="/wlw/nb/"),
        "/admin/sjj/nb/": Route(list_page("审计局", [("/admin/sjj/2022.html", f"{wl}审计局{title}", "2023-01-10")])),
    }
    office_text = (EXAMPLES / "wulong_2022.txt").read_text(encoding="utf-8")
    routes["/xxgk/nb/2022/bgs.html"] = Route(report_page(f"{office}{title}", office_text, "2023-01-18"))
    # The government's own report: its tables published as pictures (read as missing, never as zeros).
    gov_text = report_text("chongqing_waiban_2022.txt", "重庆市人民政府外事办公室", gov, date_line="")
    routes["/xxgk/nb/2022/gov.html"] = Route(report_page(f"{gov}{title}", gov_text, "2023-03-20"))
    stats_text = report_text("wulong_2022.txt", office, stats, date_line="")
    routes["/tjj/nb/2022.html"] = Route(report_page(f"{stats}{title}", stats_text, "2023-02-15", "gb2312"),
                                        "text/html")  # GBK, the charset only in the page's <meta>
    edu_text = report_text("wulong_2022.txt", office, edu, date_line="")
    routes["/xxgk/nb/2022/jw.html"] = Route(notice_page(f"武隆区教育委员会关于{title}的公告", "2023-01-20",
                                                        "/uploads/2023/jw-report.pdf", f"{edu}{title}.pdf"))
    routes["/uploads/2023/jw-report.pdf"] = Route(pdf_of(edu_text, "jw.txt"), "application/pdf")
    portal = "{base}"
    roster = "\n".join([
        "名称,级别,行政区划代码,上级机关,网站,年报栏目",
        f"{gov},政府,{REGION},,{portal}/,{portal}/xxgk/nb/",
        f"{office},部门,{REGION},{gov},,{portal}/xxgk/nb/",
        f"{stats},部门,{REGION},{gov},,{portal}/tjj/nb/",
        f"{edu},部门,{REGION},{gov},{portal}/,",  # no column address: found from the portal
        f"{fin},部门,{REGION},{gov},,{portal}/xxgk/nb/",
        f"{wl}交通运输委员会,部门,{REGION},{gov},,{portal}/jtw/nb/",
        f"{wl}文化和旅游发展委员会,部门,{REGION},{gov},,{portal}/wlw/nb/",
        f"{wl}审计局,部门,{REGION},{gov},,{portal}/admin/sjj/nb/",
        f"{wl}应急管理局,部门,{REGION},{gov},,{slow_base}/yjj/nb/",
    ]) + "\n"
    expected = {gov: "found", office: "found", stats: "found", edu: "found", fin: "not_found",
                f"{wl}交通运输委员会": "failed", f"{wl}文化和旅游发展委员会": "failed", f"{wl}审计局": "failed",
                f"{wl}应急管理局": "failed"}
    return routes, roster, expected, {stats}


@contextmanager
def county_sites(slow_seconds: float = 3.0) -> Iterator[County]:
    """The county's portal and a slow host, running for the block."""
    slow_routes = {"/robots.txt": Route(b"", "text/plain", status=404),
                   "/yjj/nb/": Route(list_page("应急管理局", []), delay=slow_seconds)}
    slow_httpd, slow = _serve(slow_routes)
    routes, roster, expected, late = _county_routes(slow.base)
    httpd, portal = _serve(routes)
    try:
        yield County(portal, slow, roster.replace("{base}", portal.base), expected, late)
    finally:
        for server in (httpd, slow_httpd):
            server.shutdown()
            server.server_close()


if __name__ == "__main__":
    import sys

    with county_sites() as county:
        out = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("名录-武隆区.csv")
        out.write_text(county.roster_csv, encoding="utf-8")
        print(f"名录已写入 {out}；门户网站 {county.portal.base}/ ，慢速网站 {county.slow.base}/ （Ctrl+C 停止）")
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass
