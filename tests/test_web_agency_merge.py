"""Merging two spellings of one agency on its web page: reviewers and administrators only, a confirmation step
saying what moves, then a POST with the CSRF token doing what ``xxgk agencies --merge`` does.

The reports (tests/data/agency_merge) are one department's for 2021–2023, the 2022 one titled with the
abbreviation 湖州市人社局, so that stored apart they are two agencies and 2022 is reported missing.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

pytest.importorskip("fastapi", reason="the web extra is not installed (pip install 'xxgk[web]')")

from fastapi.testclient import TestClient

from conftest import DATA
from test_web import csrf, login, make_client
from xxgk.store import Store

REPORTS = sorted((DATA / "agency_merge").iterdir())
FULL, SHORT = "湖州市人力资源和社会保障局", "湖州市人社局"


@pytest.fixture
def client(tmp_path: Path) -> TestClient:
    client = make_client(tmp_path)
    with Store(f"sqlite:///{tmp_path / 'web.db'}") as store:
        assert store.ingest(REPORTS, workers=1).reports == len(REPORTS)
    return client


def ids(tmp_path: Path) -> dict[str, int]:
    with Store(f"sqlite:///{tmp_path / 'web.db'}") as store:
        return {a.name: a.id for a in store.agencies()}


def test_a_reviewer_merges_the_abbreviation_after_confirming(client: TestClient, tmp_path: Path) -> None:
    agency = ids(tmp_path)
    full, short = agency[FULL], agency[SHORT]
    assert 'id="merge"' not in client.get(f"/agencies/{full}").text  # anonymous readers see no merging
    login(client, "reviewer")
    page = client.get(f"/agencies/{full}").text
    assert 'id="merge-form"' in page and "缺少2022年度" in page
    candidates = page.split('id="merge-candidates"')[1].split("</table>")[0]
    assert f'href="/agencies/{full}/merge?other={short}"' in candidates  # same region and level: offered

    confirm = client.get(f"/agencies/{full}/merge", params={"other": SHORT})
    assert confirm.status_code == 200
    moves = confirm.text.split('id="merge-moves"')[1].split("</ul>")[0]
    assert "1 份报告" in moves and "2022" in moves and SHORT in moves and "1 种名称写法" in moves
    assert "跨报告问题将重新计算" in moves and "不能在网页上撤销" in confirm.text
    assert f'name="other_id" value="{short}"' in confirm.text
    assert set(ids(tmp_path)) == {FULL, SHORT}  # nothing changed before the POST

    forged = client.post(f"/agencies/{full}/merge", data={"other_id": short, "csrf_token": "x"})
    assert forged.status_code == 403 and set(ids(tmp_path)) == {FULL, SHORT}
    done = client.post(f"/agencies/{full}/merge", data={"other_id": short, "csrf_token": csrf(client)})
    assert done.status_code == 200 and str(done.url).endswith(f"/agencies/{full}#merged")
    note = done.text.split('id="merged"')[1].split("</p>")[0]
    assert SHORT in note and "1 份报告" in note and "跨报告问题已重新计算" in note
    assert "缺少2022年度" not in done.text and ids(tmp_path) == {FULL: full}
    assert 'id="merged"' not in client.get(f"/agencies/{full}").text  # said once
    assert client.get(f"/agencies/{short}").status_code == 404
    again = client.post(f"/agencies/{full}/merge", data={"other_id": short, "csrf_token": csrf(client)})
    assert again.status_code == 400 and "可能已被合并" in again.text


def test_only_reviewers_and_administrators_may_merge(client: TestClient, tmp_path: Path) -> None:
    agency = ids(tmp_path)
    full, short = agency[FULL], agency[SHORT]
    assert client.get(f"/agencies/{full}/merge", params={"other": SHORT}, follow_redirects=False).status_code == 303
    login(client, "clerk")
    assert 'id="merge"' not in client.get(f"/agencies/{full}").text
    assert client.get(f"/agencies/{full}/merge", params={"other": SHORT}).status_code == 403
    token = csrf(client)
    assert client.post(f"/agencies/{full}/merge", data={"other_id": short, "csrf_token": token}).status_code == 403
    assert set(ids(tmp_path)) == {FULL, SHORT}
    client.post("/logout", data={"csrf_token": token})
    login(client, "admin")
    reverse = client.get(f"/agencies/{short}/merge", params={"other": str(full)})  # by id, the other way round
    assert reverse.status_code == 200 and f'href="/agencies/{full}/merge?other={short}"' in reverse.text


def test_a_wrong_name_is_said_and_nothing_moves(client: TestClient, tmp_path: Path) -> None:
    full = ids(tmp_path)[FULL]
    login(client, "reviewer")
    unknown = client.get(f"/agencies/{full}/merge", params={"other": "湖州市民政局"})
    assert unknown.status_code == 400 and "没有名称含“湖州市民政局”的机关" in unknown.text
    assert 'id="merge-post"' not in unknown.text and 'value="湖州市民政局"' in unknown.text
    itself = client.get(f"/agencies/{full}/merge", params={"other": FULL})
    assert itself.status_code == 400 and "不能并入自身" in itself.text
    several = client.get(f"/agencies/{full}/merge", params={"other": "湖州市人"})
    assert several.status_code == 400 and "对应2个机关" in several.text
    assert re.search(rf'href="/agencies/{full}/merge\?other=\d+">{SHORT}</a>', several.text)
    assert client.get("/agencies/999/merge", params={"other": SHORT}).status_code == 404
    assert set(ids(tmp_path)) == {FULL, SHORT}
