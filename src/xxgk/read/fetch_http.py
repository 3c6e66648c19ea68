"""Downloading one web resource within bounds: time, size, redirects, and (optionally) address."""

from __future__ import annotations

import ipaddress
import socket
import ssl
import time
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import TracebackType
from typing import Any

import httpx

from xxgk.read import MAX_BYTES
from xxgk.read.document import ReadError

# Many government sites turn away clients that do not look like a browser.
USER_AGENT = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/124.0 Safari/537.36 xxgk"
)
_HEADERS = {
    "User-Agent": USER_AGENT,
    "Accept": "text/html,application/xhtml+xml,application/pdf,*/*;q=0.8",
    "Accept-Language": "zh-CN,zh;q=0.9,en;q=0.5",
}
# Worth one more try: the gateway or the server was busy for a moment.
_TRANSIENT_STATUS = frozenset({502, 503, 504})
_RETRY_PAUSE = 0.5
_STATUS_NAMES = {
    400: "请求无效",
    401: "需要登录",
    403: "禁止访问",
    404: "页面不存在",
    410: "页面已删除",
    429: "请求过于频繁",
    500: "服务器内部错误",
    502: "网关错误",
    503: "服务暂不可用",
    504: "网关超时",
}
_MB = 1024 * 1024


@dataclass(frozen=True, slots=True)
class FetchLimits:
    """How far one web read may go: seconds, bytes, redirects, attachments, images."""

    connect_timeout: float = 10.0
    read_timeout: float = 30.0
    # For the page, its attachments and its images together.
    deadline: float = 120.0
    max_bytes: int = MAX_BYTES
    max_image_bytes: int = 10 * _MB
    max_redirects: int = 5
    # Extra tries after a failed connection or a 502/503/504 answer.
    retries: int = 1
    max_attachments: int = 3
    max_images: int = 30
    # A CLI user chooses the address; a web service taking addresses from strangers turns
    # this off so that it cannot be made to probe its own network.
    allow_private: bool = True


@dataclass(frozen=True, slots=True)
class Fetched:
    """A downloaded resource: where it ended up, what the server called it, and its bytes.

    ``status`` 304 (no body) answers a conditional request (``If-None-Match``, ``If-Modified-Since``)
    for a resource that has not changed; ``etag`` and ``last_modified`` are the server's validators.
    """

    url: str
    media_type: str
    charset: str | None
    body: bytes
    status: int = 200
    etag: str | None = None
    last_modified: str | None = None


class PrivateAddressError(ReadError):
    """The address is inside (a private network, this machine) and the limits refuse such addresses."""


class HTTPStatusError(ReadError):
    """The server answered with an error status (``status``); the message is the Chinese one."""

    def __init__(self, status: int, url: str) -> None:
        super().__init__(_status_message(status, url))
        self.status = status
        self.url = url

    def __reduce__(self) -> tuple[type[HTTPStatusError], tuple[int, str]]:
        return (HTTPStatusError, (self.status, self.url))  # sent back from a watched process whole


class Fetcher:
    """An HTTP client that turns URLs into bytes, or into a ReadError in Chinese."""

    def __init__(self, limits: FetchLimits, transport: httpx.BaseTransport | None = None) -> None:
        self.limits = limits
        self._deadline = time.monotonic() + limits.deadline
        # Without private addresses, every connection (redirects included) goes to an address that
        # was resolved once and checked (PublicOnlyTransport): no second lookup can rebind the name.
        # Behind an outgoing proxy the proxy resolves the name and connects: only the name can be
        # checked here (the request hook), not the address the proxy will reach.
        def connections() -> httpx.BaseTransport:
            return transport or httpx.HTTPTransport(retries=limits.retries)

        direct = connections()
        hooks: dict[str, list[Any]] = {}
        if not limits.allow_private:
            direct = PublicOnlyTransport(connections)
            if urllib.request.getproxies():
                hooks = {"request": [_refuse_private_name]}
        self._client = httpx.Client(
            headers=_HEADERS,
            follow_redirects=True,
            max_redirects=limits.max_redirects,
            timeout=httpx.Timeout(limits.read_timeout, connect=limits.connect_timeout),
            transport=direct,
            event_hooks=hooks,
        )

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._client.close()

    def remaining(self) -> float:
        """Seconds left before the overall deadline."""
        return self._deadline - time.monotonic()

    def get(self, url: str, max_bytes: int | None = None, headers: Mapping[str, str] | None = None) -> Fetched:
        """Turn a URL into its downloaded bytes, following redirects; ReadError on any failure.

        ``headers`` are sent with the request (conditional ones make a 304 answer possible).
        """
        check_url(url)
        limit = max_bytes or self.limits.max_bytes
        tries = 1 + max(self.limits.retries, 0)
        for attempt in range(tries):
            try:
                return self._download(url, limit, headers)
            except _Transient as busy:
                if attempt + 1 == tries or self.remaining() < _RETRY_PAUSE + 1:
                    raise HTTPStatusError(busy.status, url) from None
                time.sleep(_RETRY_PAUSE)
        raise AssertionError("unreachable")  # pragma: no cover

    def _download(self, url: str, limit: int, headers: Mapping[str, str] | None = None) -> Fetched:
        """Turn a URL into a Fetched, or raise ReadError (or _Transient for a busy server)."""
        if self.remaining() <= 0:
            raise ReadError(f"下载超时（超过 {self.limits.deadline:g} 秒）：{shown(url)}")
        timeout = httpx.Timeout(
            min(self.limits.read_timeout, self.remaining()),
            connect=min(self.limits.connect_timeout, self.remaining()),
        )
        try:
            with self._client.stream("GET", url, timeout=timeout, headers=headers) as response:
                if response.status_code in _TRANSIENT_STATUS:
                    raise _Transient(response.status_code)
                if response.status_code >= 400:
                    raise HTTPStatusError(response.status_code, url)
                etag, modified = response.headers.get("etag"), response.headers.get("last-modified")
                if response.status_code == 304:
                    return Fetched(url=str(response.url), media_type="", charset=None, body=b"", status=304,
                                   etag=etag, last_modified=modified)
                declared = response.headers.get("content-length", "")
                if declared.isdigit() and int(declared) > limit:
                    raise ReadError(_too_large(limit, url))
                body = bytearray()
                for chunk in response.iter_bytes():
                    body += chunk
                    if len(body) > limit:
                        raise ReadError(_too_large(limit, url))
                    if self.remaining() <= 0:
                        raise ReadError(f"下载超时（超过 {self.limits.deadline:g} 秒）：{shown(url)}")
                content_type = response.headers.get("content-type", "")
                return Fetched(
                    url=str(response.url),
                    media_type=content_type.split(";")[0].strip().lower(),
                    charset=response.charset_encoding,
                    body=bytes(body),
                    etag=etag,
                    last_modified=modified,
                )
        except httpx.HTTPError as err:
            if isinstance(err, httpx.TimeoutException) and self.remaining() <= 0.1:
                raise ReadError(f"下载超时（超过 {self.limits.deadline:g} 秒）：{shown(url)}") from err
            raise ReadError(_error_message(err, url, self.limits)) from err


class _Transient(Exception):
    """A 502/503/504 answer, worth another try."""

    def __init__(self, status: int) -> None:
        super().__init__(status)
        self.status = status


def check_url(url: str) -> None:
    """Fail with a Chinese message unless the text is an http(s) address with a host."""
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, TypeError, ValueError) as err:
        raise ReadError(f"网址无效：{shown(url)}") from err
    if parsed.scheme not in ("http", "https"):
        raise ReadError(f"只支持 http:// 或 https:// 开头的网址：{shown(url)}")
    if not parsed.host:
        raise ReadError(f"网址中没有主机名：{shown(url)}")


def shown(url: str) -> str:
    """Turn a URL into something fit for a one-line message (no white space, not too long)."""
    text = "".join(str(url).split())
    return text if len(text) <= 200 else text[:200] + "…"


def _too_large(limit: int, url: str) -> str:
    """Turn a byte limit into the message for a download that exceeds it."""
    return f"内容过大（超过 {limit / _MB:g} MB），已停止下载：{shown(url)}"


def _status_message(status: int, url: str) -> str:
    """Turn an HTTP error status into a message that shows it."""
    name = _STATUS_NAMES.get(status, "请求失败")
    return f"服务器返回 HTTP {status}（{name}）：{shown(url)}"


def _error_message(err: httpx.HTTPError, url: str, limits: FetchLimits) -> str:
    """Turn an httpx failure into one Chinese line saying what went wrong."""
    where = shown(url)
    chain = causes(err)
    if isinstance(err, httpx.ConnectTimeout):
        return f"连接服务器超时（{limits.connect_timeout:g} 秒）：{where}"
    if isinstance(err, httpx.TimeoutException):
        return f"服务器响应超时（{limits.read_timeout:g} 秒内没有数据）：{where}"
    if isinstance(err, httpx.TooManyRedirects):
        return f"重定向次数过多（超过 {limits.max_redirects} 次，可能是循环重定向）：{where}"
    if isinstance(err, httpx.UnsupportedProtocol):
        return f"网址被重定向到不支持的协议（只支持 http 和 https）：{where}"
    if isinstance(err, httpx.ConnectError):
        if any(isinstance(c, socket.gaierror) for c in chain):
            return f"无法解析域名 {httpx.URL(url).host}（域名不存在或无法访问 DNS）：{where}"
        if any(isinstance(c, ConnectionRefusedError) for c in chain):
            return f"服务器拒绝连接：{where}"
        if any(isinstance(c, ssl.SSLCertVerificationError) for c in chain):
            return f"网站的 HTTPS 证书无法验证：{where}"
        if any(isinstance(c, ssl.SSLError) for c in chain):
            return f"与网站建立 HTTPS 连接失败：{where}"
        return f"无法连接到服务器：{where}"
    if isinstance(err, httpx.DecodingError):
        return f"服务器返回的压缩数据已损坏：{where}"
    if isinstance(err, httpx.RemoteProtocolError):
        return f"服务器中途断开了连接或返回了无效的响应：{where}"
    if isinstance(err, (httpx.InvalidURL, httpx.LocalProtocolError)):
        return f"网址无效：{where}"
    return f"下载失败（{type(err).__name__}）：{where}"


def causes(err: BaseException) -> list[BaseException]:
    """Turn an exception into the chain of exceptions behind it (bounded, no cycles)."""
    chain: list[BaseException] = []
    current: BaseException | None = err
    while current is not None and current not in chain and len(chain) < 10:
        chain.append(current)
        current = current.__cause__ or current.__context__
    return chain


# IPv6 ranges that carry an IPv4 address or were never meant for the internet, which
# ``ipaddress.is_global`` (Python 3.11) calls global: IPv4-compatible ``::a.b.c.d`` (deprecated),
# site-local fec0::/10 (deprecated), 6to4 2002::/16 (deprecated: a relay may reach any IPv4
# address), NAT64 local-use 64:ff9b:1::/48. Refused outright.
_NOT_PUBLIC_V6 = tuple(ipaddress.ip_network(n) for n in ("::/96", "fec0::/10", "2002::/16", "64:ff9b:1::/48"))
# NAT64's well-known prefix: an IPv6-only network with DNS64 reaches every IPv4 site through it,
# so the IPv4 address it embeds is judged instead.
_NAT64 = ipaddress.ip_network("64:ff9b::/96")


def is_public(address: str) -> bool:
    """Whether a connection to this IP address reaches the public internet (never this host or its network)."""
    try:
        ip = ipaddress.ip_address(address.split("%")[0])
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None or any(ip in net for net in _NOT_PUBLIC_V6):
            return False
        if ip in _NAT64:
            return is_public(str(ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)))
    return ip.is_global and not ip.is_multicast


def public_addresses(host: str, port: int, url: str) -> list[str]:
    """Resolve a host name (once) to its addresses; ReadError unless every one of them is public.

    All or nothing: a name that also points inside is refused, whichever answer would be used.
    """
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as err:
        raise httpx.ConnectError(f"name resolution failed: {host}") from err
    addresses = list(dict.fromkeys(str(info[4][0]) for info in infos))
    if not addresses or not all(is_public(a) for a in addresses):
        raise PrivateAddressError(f"不允许访问内网或本机地址：{shown(url)}")
    return addresses


class PublicOnlyTransport(httpx.BaseTransport):
    """Connects only to public addresses: the name is resolved once, checked, and that very address is connected to.

    The request goes to the checked IP address while keeping its host name in the Host header and
    as the TLS server name (SNI; the certificate is verified against the name), so the check and the
    connection are one decision: a resolver that answers differently the second time (DNS
    rebinding) is never asked a second time. Each address of the name is tried in turn. Every host
    name has connections of its own (``connections()`` makes them): a connection opened, and its
    certificate verified, for one name is never reused for another name on the same address.
    """

    def __init__(self, connections: Callable[[], httpx.BaseTransport]) -> None:
        self._connections = connections
        self._by_host: dict[str, httpx.BaseTransport] = {}

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        host = request.url.host
        port = request.url.port or (443 if request.url.scheme == "https" else 80)
        inner = self._by_host.get(host)
        if inner is None:
            inner = self._by_host[host] = self._connections()
        failure: httpx.ConnectError | None = None
        for address in public_addresses(host, port, str(request.url)):
            pinned = httpx.Request(request.method, request.url.copy_with(host=address), headers=request.headers,
                                   stream=request.stream, extensions={**request.extensions, "sni_hostname": host})
            try:
                return inner.handle_request(pinned)
            except httpx.ConnectError as err:  # this address does not answer: the next one may
                failure = err
        assert failure is not None
        raise failure

    def close(self) -> None:
        for inner in {id(t): t for t in self._by_host.values()}.values():
            inner.close()


def _refuse_private_name(request: httpx.Request) -> None:
    """Behind a proxy: refuse a request (redirects included) whose host resolves to a non-public address."""
    host = request.url.host
    port = request.url.port or (443 if request.url.scheme == "https" else 80)
    try:
        public_addresses(host, port, str(request.url))
    except httpx.ConnectError:
        return  # the proxy may resolve what this machine cannot: it says so itself
