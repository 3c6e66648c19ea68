"""The charts page: grouped by the region level asked for (by default one below the region filtered), each rate
with its formula and every point with its numerator, denominator and reports, axes from 0 in whole numbers or
percent, titles clear of the toolbar, the toolbar in Chinese, and a sentence where there is nothing to draw."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("fastapi", reason="the web extra is not installed (pip install 'xxgk[web]')")

from fastapi.testclient import TestClient

from served import NO_CHROMIUM, serve
from xxgk.store.query import Filters
from xxgk.store.stats import stats_records
from xxgk.web import Settings, create_app
from xxgk.web.charts import Grouping, grouping

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
HUAIAN = "淮安"  # examples/: 淮安市 (2024) and its 洪泽区 (2023, 2024), in 江苏省 with other provinces beside
RATE_CHARTS = ("disclosure", "review", "litigation")


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """The app over a store holding the examples: several provinces, cities, counties and years."""
    db = tmp_path_factory.mktemp("charts") / "web.db"
    app = create_app(Settings(db_url=f"sqlite:///{db}", secret_key="charts-secret"))
    summary = app.state.web.store.ingest([EXAMPLES], workers=1)
    assert summary.failed == 0 and summary.ok >= 10
    return app


@pytest.fixture(scope="module")
def client(app: Any) -> TestClient:
    return TestClient(app)


def figures(client: TestClient, **params: Any) -> tuple[str, dict[str, Any]]:
    """The charts page for these parameters, and its figures by chart name."""
    response = client.get("/collection/charts", params=params)
    assert response.status_code == 200, response.text
    found = re.findall(r'<script type="application/json" class="chart" data-target="chart-([a-z]+)">(.*?)</script>',
                       response.text, re.S)
    return response.text, {name: json.loads(spec) for name, spec in found}


def names(figure: dict[str, Any]) -> set[str]:
    return {trace["name"] for trace in figure["data"]}


def test_filtering_a_city_groups_by_its_counties_named_as_such(client: TestClient) -> None:
    page, charts = figures(client, region=HUAIAN)
    # Not 江苏省 (the province the grouping was fixed to): the county, and the city's own agencies apart.
    assert names(charts["received"]) == {"洪泽区", "江苏省淮安市（市本级）"}
    assert charts["received"]["layout"]["legend"]["title"]["text"] == "江苏省淮安市<br>各县（区）"
    assert "<strong aria-current=\"true\">按县（区）</strong>" in page and "江苏省淮安市的各县（区）" in page
    assert re.search(r'href="[^"]*by=province[^"]*">按省</a>', page)
    labels = charts["outcomes"]["data"][0]["y"]
    assert "洪泽区 2023" in labels and "江苏省淮安市（市本级） 2024" in labels
    # The province named: its cities; nothing named: the provinces; asked: what was asked.
    assert names(figures(client, region="江苏")[1]["received"]) >= {"淮安市"}
    assert "江苏省" in names(figures(client)[1]["received"])
    page, charts = figures(client, region=HUAIAN, by="province")
    assert names(charts["received"]) == {"江苏省"} and "（默认）" in page
    refused = client.get("/collection/charts", params={"by": "town"})
    assert refused.status_code == 400 and "分组应为" in refused.text


def test_the_default_grouping_is_one_level_below_the_region_named() -> None:
    zj = ("浙江省", "330000", "湖州市", "330500", None, None)
    county = ("浙江省", "330000", "湖州市", "330500", "吴兴区", "330502")
    jilin = [("吉林省", "220000", "长春市", "220100", None, None), ("吉林省", "220000", "吉林市", "220200", None, None)]
    assert grouping([zj, county], None).by == "province"
    assert grouping([zj, county], "湖州") == grouping([zj, county], "330500")
    assert grouping([zj, county], "湖州市").by == "county"
    assert grouping([zj, county], "湖州").within == "浙江省湖州市"
    assert grouping([zj, county], "浙江").by == "city"
    assert grouping([county], "吴兴区").by == "county"  # nothing below a county: its own level
    assert grouping(jilin, "吉林").by == "city"  # 吉林 names a province (and a city in it): the province's cities
    assert grouping([zj, county], "湖州", "province") == grouping([zj, county], "湖州", "province")
    assert grouping([zj, county], "湖州", "province").within == ""  # a province's name is each group's own
    assert grouping([], "西藏").by == "province"


def test_rates_start_at_0_and_say_what_they_divide(app: Any, client: TestClient) -> None:
    page, charts = figures(client, region=HUAIAN)
    by_group = {(Grouping("county", "county", "江苏省淮安市").label(r["region"]), r["year"]): r
                for r in stats_records(app.state.web.store.engine, Filters(region=HUAIAN), "county")}
    checked = 0
    for chart, column in zip(RATE_CHARTS, ("disclosure_rate", "review_correction_rate", "litigation_correction_rate"),
                             strict=True):
        layout = charts[chart]["layout"]
        assert layout["yaxis"]["range"][0] == 0 and layout["yaxis"]["range"][1] >= 1
        assert layout["yaxis"]["tickformat"] == ".0%"
        for trace in charts[chart]["data"]:
            for year, value, hover in zip(trace["x"], trace["y"], trace["hovertext"], strict=True):
                if value is None:
                    continue
                record = by_group[(trace["name"], year)]
                assert value == pytest.approx(record[column])  # the stats' own figure
                fraction = re.search(r"= ([\d.]+) ÷ ([\d.]+) 件", hover)
                assert fraction, hover
                numerator, denominator = map(float, fraction.groups())
                assert numerator / denominator == pytest.approx(value)
                assert f"依据 {record[column.replace('_correction_rate', '_n').replace('_rate', '_n')]} 份报告" in hover
                checked += 1
    assert checked >= 4
    shares = charts["outcomes"]["data"][0]
    assert all("÷" in h and "份报告" in h for h in shares["hovertext"])
    assert all("依据" in h and "件" in h for t in charts["received"]["data"] for h in t["hovertext"])
    # Each chart's formula under it, in the form's words.
    captions = re.findall(r'<figcaption class="formula">(.*?)</figcaption>', page)
    assert len(captions) == len(charts)
    assert any(c.startswith("公开率 = Σ（“予以公开” + “部分公开”）÷ Σ “（七）总计”") for c in captions)
    assert any(c.startswith("复议纠错率 = Σ 行政复议“结果纠正” ÷ Σ（行政复议“总计” − “尚未审结”）") for c in captions)
    assert any("未经复议直接起诉、复议后起诉两组合计" in c for c in captions)


def test_counts_tick_in_whole_numbers_and_titles_sit_below_the_toolbar(client: TestClient) -> None:
    _, charts = figures(client, region=HUAIAN)
    rules = charts["rules"]["layout"]["xaxis"]
    assert rules["dtick"] == 1 and rules["tick0"] == 0  # at most 2 reports: Plotly alone would tick 0.5
    for name in ("received", "late", "rules"):
        if charts[name]["data"]:
            axis = charts[name]["layout"]["xaxis" if name == "rules" else "yaxis"]
            assert axis["tickformat"] == ",d" and axis["rangemode"] == "tozero"
    for figure in charts.values():
        layout, config = figure["layout"], figure["config"]
        title = layout["title"]
        assert title["yref"] == "container" and title["yanchor"] == "top" and title["pad"]["t"] >= 30
        assert layout["margin"]["t"] > title["pad"]["t"] + 20
        assert config["locale"] == "zh-CN" and config["displaylogo"] is False
        assert config["showSendToCloud"] is False  # Plotly.js 4 would offer to post the data to its cloud
        assert config["toImageButtonOptions"]["filename"] == title["text"]
    assert charts["outcomes"]["layout"]["xaxis"]["range"][0] == 0


def test_charts_with_nothing_to_draw_say_so(client: TestClient) -> None:
    _, charts = figures(client, region="西藏")
    for figure in charts.values():
        assert figure["data"] == [] and figure["layout"]["annotations"][0]["text"] == "没有符合条件的报告"
        assert figure["layout"]["xaxis"]["visible"] is False and figure["config"]["displayModeBar"] is False
    _, charts = figures(client, year=2016)  # a report in the old format: no 表三 to add up
    assert charts["received"]["data"] == []
    assert "本年新收" in charts["received"]["layout"]["annotations"][0]["text"]
    assert charts["disclosure"]["layout"]["annotations"][0]["text"].startswith("所选报告中没有可计算公开率的")
    assert charts["late"]["data"]  # but its publication date is known


def _translated(bundle: str) -> set[str]:
    """Every string the bundled Plotly.js passes through its translator (``Lib._`` under its minified names)."""
    aliases = set(re.findall(r"([A-Za-z_$][\w$]*)=[A-Za-z_$][\w$]*\._[,;]", bundle)) - {"l", "u", "z"}
    calls = re.findall(r"(?<![\w$.])([A-Za-z_$][\w$]*)\([\w$.]+,\"([^\"]+)\"\)", bundle)
    found = {text for name, text in calls if name in aliases}
    found |= set(re.findall(r"\._\([\w$.]+,\"([^\"]+)\"\)", bundle))
    return {text.encode("ascii").decode("unicode_escape") for text in found}


def test_the_zh_cn_locale_is_served_and_covers_plotly(client: TestClient) -> None:
    page, _ = figures(client)
    assert page.index("/static/plotly.min.js") < page.index("/static/plotly-locale-zh-cn.js") < page.index("app.js")
    locale = client.get("/static/plotly-locale-zh-cn.js")
    assert locale.status_code == 200 and "javascript" in locale.headers["content-type"]
    assert 'name: "zh-CN"' in locale.text and 'moduleType: "locale"' in locale.text
    dictionary = dict(re.findall(r'^\s+"([^"]+)": "([^"]+)",?$', locale.text, re.M))
    wanted = _translated(client.get("/static/plotly.min.js").text)
    assert len(wanted) > 40 and {"Zoom in", "Reset axes", "Download plot as a PNG"} <= wanted
    assert wanted <= dictionary.keys(), sorted(wanted - dictionary.keys())
    assert all(not value.isascii() for key, value in dictionary.items() if key != "trace")


@pytest.fixture(scope="module")
def server(app: Any) -> Iterator[str]:
    with serve(app) as url:
        yield url


@NO_CHROMIUM
def test_in_a_browser_the_toolbar_is_chinese_and_clear_of_the_titles(server: str, page: Any) -> None:
    pytest.importorskip("playwright.sync_api", reason="Playwright is not installed (pip install playwright)")
    page.goto(server + f"/collection/charts?region={HUAIAN}")
    chart = page.locator("#chart-received")
    chart.locator(".modebar-btn").first.wait_for(state="attached")
    titles = set(chart.locator(".modebar-btn").evaluate_all("bs => bs.map(b => b.getAttribute('data-title'))"))
    assert {"下载 PNG 图片", "放大", "还原坐标轴"} <= titles and all(not t.isascii() for t in titles)
    for name in ("received", "disclosure"):
        box = page.locator(f"#chart-{name} .gtitle").bounding_box()
        bar = page.locator(f"#chart-{name} .modebar").bounding_box()
        assert box and bar and box["y"] >= bar["y"] + bar["height"], (box, bar)
    ticks = page.locator("#chart-disclosure .ytick text").all_text_contents()
    assert ticks[0] == "0%" and ticks[-1] == "100%"
    counts = page.locator("#chart-rules .xtick text").all_text_contents()
    assert counts and all(re.fullmatch(r"\d+", t) for t in counts)
    assert page.locator("#chart-late .annotation-text").text_content() == "所选报告都没有发布日期，无法判断是否逾期"
