"""Figures stated in the prose of a report (xxgk.parse.figures).

The snippets are copied from real reports (the seeds and dev corpus); the tests never read files.
"""

from __future__ import annotations

import opencc
import pytest

from xxgk.model import Figure
from xxgk.parse.figures import extract_figures

_T2S = opencc.OpenCC("t2s")
_FULL_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
_FULL_WIDTH[0x3000] = 0x20


def normalise(text: str) -> str:
    """Full-width ASCII → half-width, traditional → simplified, keeping the length."""
    half = text.translate(_FULL_WIDTH)
    simple: str = _T2S.convert(half)
    if len(simple) == len(half):
        return simple
    out = []
    for ch in half:
        conv: str = _T2S.convert(ch)
        out.append(conv if len(conv) == 1 else ch)
    return "".join(out)


def figures(text: str) -> dict[str, Figure]:
    found = extract_figures(text, normalise(text))
    keys = [f.key for f in found]
    assert len(keys) == len(set(keys)), "each key at most once"
    for f in found:
        assert f.offset is not None
        assert "\n" not in f.quote
        assert f.quote == f.quote.strip()
    return {f.key: f for f in found}


def values(text: str) -> dict[str, int | float]:
    return {k: f.value for k, f in figures(text).items()}


def assert_number_at_offset(text: str, fig: Figure) -> None:
    assert fig.offset is not None
    digits = str(fig.value)
    assert text[fig.offset : fig.offset + len(digits)] == digits


# ---------------------------------------------------------------------------
# seed 000: 重庆市人民政府外事办公室 2022

SEED_000 = (
    "(一)主动公开情况。2022年,我办坚持以重庆市人民政府外事办公室官方网站为主、“重庆外事”微信公众号为辅,"
    "积极做好政府信息公开工作。全年通过我办门户网站公开政府信息281条,其中,规范性文件3件,机关简介10项,"
    "预决算6项,收费项目1项,招考录用1项;政务新媒体发布信息600余篇。\n\n"
    "(二)依申请公开情况。2022年,承办上年结转政府信息公开申请1件,按照《重庆市政府办公厅关于进一步做好"
    "政府信息依申请公开工作的通知》(渝府办发〔2020〕70号)要求,及时予以办结,并申请人表示满意。"
    "此外,2022年政府信息公开未收费。\n\n"
    "(四)平台建设情况。官方网站年度总访问量23.28万次。微信公众号全面提档升级,发布频次增至每日3次,"
    "全年阅读量43.5万次。\n\n"
    "六、其他需要报告的事项\n\n"
    "2022年,我办严格落实《政府信息公开条例》和国务院办公厅《2022年政务公开工作要点》要求,"
    "完成政务公开各项工作。我办未收取信息处理费。\n"
)


def test_seed_000() -> None:
    figs = figures(SEED_000)
    assert {k: f.value for k, f in figs.items()} == {
        "active.published_items": 281,
        "requests.carried_over": 1,
        "fees.charged": 0,
    }
    active = figs["active.published_items"]
    assert active.approximate is False
    assert active.quote.startswith("全年通过我办门户网站公开政府信息281条")
    assert_number_at_offset(SEED_000, active)
    assert figs["requests.carried_over"].quote.startswith("2022年,承办上年结转政府信息公开申请1件")
    # the first statement wins: "2022年政府信息公开未收费" comes before "我办未收取信息处理费"
    assert figs["fees.charged"].quote == "此外,2022年政府信息公开未收费"


def test_fee_zero_statement_alone() -> None:
    assert values("六、其他需要报告的事项\n\n我办未收取信息处理费。\n") == {"fees.charged": 0}


# ---------------------------------------------------------------------------
# seed 003: 四川省人民政府外事办公室 2013, traditional characters

SEED_003 = (
    "主動公開政府信息情況\n\n\n"
    "按照“公開為原則,不公開為例外”的要求,我辦積極做好主動公開政府信息工作。2013年累計主動公開政府信息"
    "1094條,其中,法規公文類5條;工作動態類1074條,占98%;人事信息類9條,財政信息2條。\n\n"
    "2.公民海外安全預警信息。全年發布海外預警信息46條,被省內媒體廣泛採用轉載。\n"
    "1.政府網站公開。全年通過省政府電子政務外網信息報送平台向我省入口網站“中國四川”上報信息358條;"
    "依託國際網際網路、四川省黨政網、四川省辦公業務資源網上的四川省外事部門三個網站,"
    "共發布四川外事信息、市州外事動態等1000餘條,照片600餘張。\n\n"
    "政府信息依申請公開情況\n\n\n"
    "據不完全統計,全年依申請公開信息160餘件。辦結率100%。\n\n"
    "政府信息公開收費及減免情況\n\n\n"
    "我辦政府信息公開事項均未收費。\n\n"
    "公開申請行政複議、提起行政訴訟的情況\n\n\n"
    "全年我辦因政府信息公開提出的行政複議申請、提起行政訴訟均為零件。\n"
)


def test_seed_003_traditional() -> None:
    figs = figures(SEED_003)
    assert {k: f.value for k, f in figs.items()} == {
        "active.published_items": 1094,
        "requests.on_request_items": 160,
        "fees.charged": 0,
        "review.count": 0,
        "litigation.count": 0,
    }
    active = figs["active.published_items"]
    assert not active.approximate  # 累计 after the year is the year's total
    assert active.quote.startswith("2013年累計主動公開政府信息1094條")  # quoted as published
    assert_number_at_offset(SEED_003, active)
    on_request = figs["requests.on_request_items"]
    assert on_request.approximate
    assert on_request.quote == "據不完全統計,全年依申請公開信息160餘件"
    assert "requests.received" not in figs
    assert figs["review.count"].quote == "全年我辦因政府信息公開提出的行政複議申請、提起行政訴訟均為零件"
    assert SEED_003[figs["review.count"].offset or 0] == "零"


# ---------------------------------------------------------------------------
# seed 004: 开远市 2022

SEED_004 = (
    "  (一)全面落实主动公开,做到应公开尽公开。坚持“公开为常态,不公开为例外”原则,全方位多渠道满足群众的"
    "信息需求,2022年通过门户网站发布信息4026条。一是进一步加强对市场主体的信息公开力度。二是加强重要政策"
    "发布解读,及时发布《开远市噪声污染防治管理办法(试行)》等政策解读图文稿5件。三是及时回应社会关切,"
    "开展在线访谈1期,收到并办结市长信箱来件266条,全市“12345”政务热线综合平台共受理各类咨询投诉3329件,"
    "按期答复率100%。\n\n"
    "  (三)重视依申请公开,做到依法依规答复。2022年我市收到依申请公开事项21件,除2件结转下一年度办理外,"
    "都按程序在规定的时间内进行了答复,其中,自然人申请19件,商业企业申请2件,申请人提起行政复议4件,"
    "行政诉讼2件,被结果纠正2件,其余结果1件,其余皆为结果维持。\n\n"
    "  (四)完善平台建设。截至2022年12月31日,全市共有政务新媒体账号29个,其中,“微信公众号”21个。\n\n"
    "  六、其他需要报告的事项\n\n"
    "  2022年开远市未发出政府信息处理费收费通知书,不存在收取信息处理费的情况。\n\n"
    "  2023年1月29日\n"
)


def test_seed_004() -> None:
    figs = figures(SEED_004)
    assert {k: f.value for k, f in figs.items()} == {
        "active.published_items": 4026,
        "requests.received": 21,
        "requests.carried_forward": 2,
        "review.count": 4,
        "litigation.count": 2,
        "fees.charged": 0,
    }
    for key in ("active.published_items", "requests.received", "requests.carried_forward"):
        assert_number_at_offset(SEED_004, figs[key])
    assert figs["fees.charged"].quote.endswith("不存在收取信息处理费的情况")


# ---------------------------------------------------------------------------
# dev 001: 淮安市人民政府 2024, PDF text (wrapped lines, page numbers, layout tables)

DEV_001 = """   一、总体情况
   2024 年，我市坚持以习近平新时代中国特色社会主义思想为
指导，圆满完成了各项任务。
   （一）主动公开情况。2024 年，市政府网站主动公开各类政
府信息 5500 余条，全年新增公开市政府规章 1 件、市政府及市
政府办政策性文件 11 件，通过文字、图片等形式制作政策解读
21 个，制作《淮安市人民政府公报》6 期。紧紧围绕保障民生、
深化改革、科技创新等工作主线，组织召开了“春节前后服务企
业用工和促进返乡人员就业创业专项活动”“建设‘四最’一流

                                          -1-
营商环境高质量推进产业发展”等新闻发布会 12 场，努力传递政府
声音、宣传政策法规、回应舆论关切。
      （二）依申请公开情况。定期对政府信息公开申请集中的领
域和热点问题进行研判，探索从源头上解决实际问题。2024 年，全市共受理政府信息公开申请 3119 件，答
复 3050 件（含上年度结转申请 34 件，另有 103 件顺延到下年度
答复），均在法定期限内予以答复。政府信息公开行政复议 351
件，其中结果维持 72 件，结果纠正 64 件，其他结果 178 件，尚
未审结 37 件；政府信息公开行政诉讼 46 件，其中结果维持 25
件，结果纠正 5 件，其他结果 9 件，尚未审结 7 件。

一、本年新收政府信息公开申请数量                3001        53       0        0    61       4   3119

二、上年结转政府信息公开申请数量                34          0        0        0        0    0    34

     四、政府信息公开行政复议、行政诉讼情况
行政复议                          行政诉讼

72   64    178    37    351   13    4        8        1        26   12   1     1    6       20

      六、其他需要报告的事项
      2024 年，市政府严格落实《政府信息公开信息处理费管理
办法》，全年收取政府信息公开信息处理费 3940 元。
"""


def test_dev_001_wrapped_pdf_text() -> None:
    figs = figures(DEV_001)
    assert {k: f.value for k, f in figs.items()} == {
        "active.published_items": 5500,
        "requests.received": 3119,
        "requests.answered": 3050,
        "requests.carried_over": 34,
        "requests.carried_forward": 103,
        "review.count": 351,
        "litigation.count": 46,
        "fees.charged": 3940,
    }
    assert figs["active.published_items"].approximate
    assert not figs["requests.received"].approximate
    for fig in figs.values():
        assert_number_at_offset(DEV_001, fig)
    received = figs["requests.received"].quote
    assert received.startswith("2024 年，全市共受理政府信息公开申请 3119 件，答复 3050 件（含上年度结转")
    assert received.endswith("均在法定期限内予以答复")
    assert figs["review.count"].quote.startswith("政府信息公开行政复议 351件，其中结果维持 72 件")
    assert figs["fees.charged"].quote == (
        "2024 年，市政府严格落实《政府信息公开信息处理费管理办法》，全年收取政府信息公开信息处理费 3940 元"
    )
    # a sentence runs on over a page number
    assert "-1-" not in "".join(f.quote for f in figs.values())


# ---------------------------------------------------------------------------
# dev 012: 平潭综合实验区 2016 (one long line, a flattened statistics table at the end)

DEV_012 = (
    "2、财政资金信息公开情况③政府采购公示情况。2016年，我区累计在平潭政府采购信息网上主动公开政府采购项目"
    "信息189条，网上竞价423条。二、主动公开政府信息情况（一）主动公开政府信息的数量2016年全区主动公开"
    "政府信息3460条。其中，区管委会及区直各部门主动公开政府信息1822条，占53%。2016年政府信息公开专栏"
    "访问量达162103人次。三、政府信息依申请公开工作情况 2016年全区未收到有关政府信息公开申请。"
    "四、政府信息公开的收费及减免情况2016年我区各级工作部门依申请提供政府信息暂不收费。"
    "五、因政府信息公开申请行政复议、提起行政诉讼的情况2016年我区未收到有关政府信息公开行政复议、"
    "提起行政诉讼的申请。六、主要问题和改进措施 七、平潭综合实验区政府信息公开情况统计表 "
    "指标名称计量单位2016年度历年累计主动公开文件数条346085376其中：1、政府网站公开数条346085376"
    "受理依申请公开信息总数条00政府信息公开收费减免金额元00行政复议数件00行政诉讼数件00"
)


def test_dev_012_legacy_zero_statements() -> None:
    figs = figures(DEV_012)
    assert {k: f.value for k, f in figs.items()} == {
        "active.published_items": 3460,
        "requests.received": 0,
        "fees.charged": 0,
        "review.count": 0,
        "litigation.count": 0,
    }
    assert figs["requests.received"].quote.endswith("2016年全区未收到有关政府信息公开申请")


# ---------------------------------------------------------------------------
# other dev reports


def test_dev_010_counts_and_cases() -> None:
    text = (
        "2023年全区接收通过邮寄、网络提交的各类政府信息公开申请共计81件，涉及自然人80件、商业企业1件。"
        "办结依申请公开81件，其中：予以公开及部分公开42件，占51.85%；不予公开5件，占6.17%；"
        "因政府信息公开引起的行政复议案件2件、行政诉讼案件7件。"
        "六、其他需要报告的事项2023年，无收取信息处理费情况。"
    )
    assert values(text) == {
        "requests.received": 81,
        "requests.answered": 81,
        "review.count": 2,
        "litigation.count": 7,
        "fees.charged": 0,
    }


def test_dev_019_zero_counts() -> None:
    text = (
        "(二)政府信息依申请公开情况\n\n 2019年度街道受理信息公开申请0件。\n\n(三)复议、诉讼和申诉情况\n\n"
        "2019年度街道发生针对本部门有关政府信息公开事务的行政复议案0件;发生针对本部门有关政府信息公开事务"
        "的行政诉讼案0件;收到各类针对本部门政府信息公开事务有关的申诉案0件。\n"
    )
    assert values(text) == {"requests.received": 0, "review.count": 0, "litigation.count": 0}


def test_dev_020_number_before_noun() -> None:
    text = (
        "全年在荷塘区政府门户网站公开信息77条,收到1份政府信息公开申请。其中公开信息方面,分别公开机构信息1条,"
        "政策文件信息3条。"
    )
    assert values(text) == {"active.published_items": 77, "requests.received": 1}


def test_dev_003_short_wrapped_lines() -> None:
    text = (
        "（二）依申请公开情况。根据《条例》和上级部门关于依申请办理的规范要求，确保依\n"
        "申请答复工作规范高效。\n"
        "2024 年，\n"
        "区政府办代表区政府受理政府\n"
        "信息公开申请 17 件，均已在法定期限内予以答复。\n"
        "- 2 -\n"
    )
    figs = figures(text)
    assert {k: f.value for k, f in figs.items()} == {"requests.received": 17}
    assert figs["requests.received"].quote == (
        "2024 年，区政府办代表区政府受理政府信息公开申请 17 件，均已在法定期限内予以答复"
    )


def test_dev_031_portal_traditional() -> None:
    text = "1.2022年通過麻陽縣政府門戶網站共發布各類信息25條。\n2.全年縣長熱線辦理群眾來電事項12件,辦結12件,辦結率100%。\n"
    assert values(text) == {"active.published_items": 25}


def test_seed_001_previous_year_carry_over() -> None:
    text = (
        "重庆市武隆区人民政府2022年政府信息公开工作年度报告\n"
        "(一)主动公开情况。本年度,通过重庆市武隆区人民政府网站主动公开各类政府信息460条,以区政府和区政府"
        "办公室名义印发并公开的行政规范性文件8件。\n"
        "(二)依申请公开情况。按照《条例》规定,依法办理向区政府、区政府办公室政府信息公开申请7件"
        "(2021年转结办理2件,2022年办理5件)。\n"
        "本机关未收取信息处理费。\n"
    )
    assert values(text) == {"active.published_items": 460, "requests.carried_over": 2, "fees.charged": 0}


# ---------------------------------------------------------------------------
# wording variants (written for these tests)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("本年度共收到政府信息公开申请15件，其中当面申请3件，网上申请12件。", {"requests.received": 15}),
        ("全年接收政府信息公开申请二十三件。", {"requests.received": 23}),
        ("本机关本年度没有收到政府信息公开申请。", {"requests.received": 0}),
        (
            "2023年新收政府信息公开申请66件，上年结转2件。",
            {"requests.received": 66, "requests.carried_over": 2},
        ),
        ("结转下年度继续办理3件。", {"requests.carried_forward": 3}),
        ("全年收到依申请公开信息3条，答复率100%。", {"requests.received": 3}),
        ("依申请公开政府信息12条。", {"requests.on_request_items": 12}),
        ("主动公开政府信息约1.2万条。", {"active.published_items": 12000}),
        ("全年主动公开政府信息1,500条，较上年增长10%。", {"active.published_items": 1500}),
        ("截至2018年底，累计主动公开政府信息5928条。", {}),
        (
            "我局历年累计主动公开政府信息5928条，本年度新增主动公开政府信息2110条。",
            {"active.published_items": 2110},
        ),
        ("2013年度主动公开信息的有5条。", {"active.published_items": 5}),
        ("收取检索、复制、邮寄等成本费0元，减免0元。", {"fees.charged": 0}),
        ("全年共收取政府信息公开信息处理费1.2万元。", {"fees.charged": 12000}),
        ("对依申请公开的申请人不收取任何费用。", {"fees.charged": 0}),
        ("本年度政府信息公开工作未产生信息处理费。", {"fees.charged": 0}),
        ("四、政府信息公开的收费及减免情况\n\n本机关未向申请人收取任何费用。", {"fees.charged": 0}),
        ("政府信息公开信息处理费均未收取。", {"fees.charged": 0}),
        ("应收信息处理费200元，全部予以减免。", {}),
        ("全年共发布政府信息3200条。", {"active.published_items": 3200}),
        ("通过政府信息公开平台发布信息860条。", {"active.published_items": 860}),
        ("通过政务微博发布政府信息300条。", {}),
        ("公开取消行政事业性收费项目清单，不再收取城市道路占用费。", {}),
        (
            "因政府信息公开申请行政复议2件、提起行政诉讼1件。",
            {"review.count": 2, "litigation.count": 1},
        ),
        (
            "本年度未发生因政府信息公开申请行政复议和提起行政诉讼的情况。",
            {"review.count": 0, "litigation.count": 0},
        ),
        ("政府信息公开行政复议、行政诉讼各1件。", {"review.count": 1, "litigation.count": 1}),
        (
            "因政府信息公开引起的行政复议和行政诉讼分别为2件和1件。",
            {"review.count": 2, "litigation.count": 1},
        ),
        ("对不予公开的答复不服的，申请人可以依法申请行政复议或提起行政诉讼。", {}),
        ("因政府信息公开，申请人未经行政复议直接提起行政诉讼3件。", {"litigation.count": 3}),
        ("全年共受理行政复议申请120件，审结115件。", {}),
        ("全年共受理行政许可申请5000件，办结率100%。", {}),
        (
            "四、政府信息公开行政复议、行政诉讼情况\n\n本年度申请人提起行政复议2件。",
            {"review.count": 2},
        ),
        ("(二)依申请公开情况\n\n2023年共收到申请5件，均按时答复。", {"requests.received": 5}),
        ("政务服务中心共受理申请5000件。", {}),
    ],
)
def test_wording(text: str, expected: dict[str, int]) -> None:
    assert values(text) == expected


def test_approximate_wording() -> None:
    figs = figures("全年主动公开政府信息逾2000条。共收到政府信息公开申请近百件。")
    assert figs["active.published_items"].approximate
    assert figs["active.published_items"].value == 2000
    assert figs["requests.received"].approximate
    assert figs["requests.received"].value == 100


# ---------------------------------------------------------------------------
# what must not become a figure


@pytest.mark.parametrize(
    "text",
    [
        # 12345 hotline, mailbox, consultations
        "收到并办结市长信箱来件266条,全市“12345”政务热线综合平台共受理各类咨询投诉3329件,按期答复率100%。",
        "全年县长热线办理群众来电事项12件,办结12件,办结率100%。",
        # visits, people, percentages, dates, document numbers, phone numbers
        "官方网站年度总访问量23.28万次,培训400余人次。",
        "本报告所列数据的统计期限自2022年1月1日起至2022年12月31日止。",
        "(渝府办发〔2020〕70号)联系电话:0873-7236877。",
        # other channels and other kinds of information
        "政务新媒体发布信息600余篇。",
        "全年发布海外预警信息46条。",
        "我区累计在平潭政府采购信息网上主动公开政府采购项目信息189条。",
        # table rows
        "一、本年新收政府信息公开申请数量 | 58 | 7 | 0 | 0 | 1 | 0 | 66 |\n",
        "行政复议                          行政诉讼\n72   64    178    37    351\n",
        "受理政府信息公开申请\n12\n件\n",
        # breakdowns
        "其中，自然人申请19件，商业企业申请2件。",
        "不予公开信息27条，同意公开政府信息12条。",
    ],
)
def test_not_figures(text: str) -> None:
    assert values(text) == {}


def test_earlier_years_are_not_this_years_figures() -> None:
    text = (
        "某县2022年政府信息公开工作年度报告\n"
        "2021年共收到政府信息公开申请5件，去年主动公开政府信息900条。\n"
        "2022年共收到政府信息公开申请7件，全年主动公开政府信息1200条。\n"
    )
    assert values(text) == {"requests.received": 7, "active.published_items": 1200}


def test_two_numbers_for_two_keys() -> None:
    text = "因政府信息公开引起的行政复议和行政诉讼分别为2件,1件。"
    assert values(text) == {"review.count": 2, "litigation.count": 1}


def test_first_statement_wins() -> None:
    text = "全年主动公开政府信息3460条。其中，各乡镇主动公开政府信息1638条。另通过门户网站公开政府信息900条。"
    figs = figures(text)
    assert figs["active.published_items"].value == 3460
    assert figs["active.published_items"].offset == text.index("3460")


def test_blank_line_ends_sentence() -> None:
    text = "受理政府信息公开申请\n\n12件"
    assert values(text) == {}


def test_empty() -> None:
    assert extract_figures("", "") == []


def test_rules_searched_by_sentence_find_what_a_full_scan_finds() -> None:
    """A rule with ``words`` searches only the sentences holding one of them: on every report text
    the project ships, its matches are those of a scan of the whole prose."""
    import re
    from bisect import bisect_right
    from pathlib import Path

    from xxgk.parse import figures as fig
    from xxgk.parse.normalize import normalize

    texts = sorted((Path(__file__).parent / "data" / "corpus").glob("*.txt"))
    assert texts
    matched = 0
    for path in texts:
        prose = fig._compact(normalize(path.read_text(encoding="utf-8"))).text
        at = fig._Positions(prose)
        ends = at.of_any(fig._SENTENCE_ENDS)
        assert ends == [m.start() for m in re.finditer(r"[。;!?\n]", prose)]

        def sentence(p: int, ends: list[int] = ends, size: int = len(prose)) -> tuple[int, int]:
            i = bisect_right(ends, p)
            return (ends[i - 1] + 1 if i else 0, ends[i] if i < len(ends) else size)

        for rule in fig._RULES:
            if rule.words or (rule.starts and rule.anchor is None):
                full = [m.span() for m in rule.regex.finditer(prose)]
                got = [m.span() for m in fig._matches(rule, prose, sentence, at)]
                assert got == full, (path.name, rule.key)
                matched += len(full)
            if rule.anchor is not None:
                anchors = [m.span() for m in rule.anchor.finditer(prose)]
                tried = fig._finditer(rule.anchor, prose, rule.starts, fig._Positions(prose))
                assert [m.span() for m in tried] == anchors
    assert matched > 0


def _first_words(pattern: str) -> set[str] | None:
    """The words a match of ``pattern`` can begin with (each alternative's leading literals), when it
    begins with literals (None otherwise)."""
    from importlib import import_module
    from typing import Any

    sre = import_module("re._constants")  # the regex engine's own parser: no stubs, hence Any
    parser = import_module("re._parser")

    def first(items: list[tuple[Any, Any]]) -> set[str] | None:
        op, av = items[0]
        if op is sre.LITERAL:
            word = ""
            for op, av in items:
                if op is not sre.LITERAL:
                    break
                word += chr(av)
            return {word}
        if op is sre.SUBPATTERN:
            return first(list(av[-1]))
        if op is sre.BRANCH:
            out: set[str] = set()
            for alternative in av[1]:
                got = first(list(alternative))
                if got is None:
                    return None
                out |= got
            return out
        return None

    return first(list(parser.parse(pattern)))


def test_rules_tried_at_their_first_characters_name_every_one() -> None:
    """A rule tried only where one of its ``starts`` (words or characters) stands: every way its pattern
    (or anchor) can begin begins with one of them, so the search finds all that a scan of the whole text finds."""
    from xxgk.parse import figures as fig

    tried = [rule for rule in fig._RULES if rule.starts]
    assert tried
    for rule in tried:
        pattern = rule.anchor if rule.anchor is not None else rule.regex
        firsts = _first_words(pattern.pattern)
        assert firsts is not None and all(word.startswith(tuple(rule.starts)) for word in firsts), (rule.key, firsts)


def test_a_quote_rebuilt_alone_is_that_part_of_the_whole_prose() -> None:
    """A figure's quote is rebuilt from the lines it spans only: the same text as that part of
    the whole prose rebuilt from the document, wherever the part starts and ends (breaks included)."""
    import random
    from pathlib import Path

    from xxgk.parse import figures as fig
    from xxgk.parse.normalize import normalize

    rng = random.Random(7)
    for path in sorted((Path(__file__).parent / "data" / "corpus").glob("*.txt"))[:12]:
        text = path.read_text(encoding="utf-8")
        prose = fig._compact(normalize(text))
        whole = prose.rebuild(text)
        size = len(prose.text)
        assert len(whole) == size
        for _ in range(200):
            start = rng.randint(0, size)
            stop = rng.randint(start, min(size, start + 200))
            assert prose.rebuild(text, start, stop) == whole[start:stop], (path.name, start, stop)


# ---------------------------------------------------------------------------
# Legacy reports (2008–2018): running totals, earlier years, all cases, sums after a breakdown


def test_counts_since_the_regulation_took_effect_are_running_totals() -> None:
    text = (
        "某市人民政府2009年政府信息公开工作年度报告\n"
        "一、主动公开政府信息情况\n"
        "2009年，市政府继续深入贯彻《条例》，自2008年5月1日《条例》施行以来，全市累计主动公开政府信息12万余条，"
        "累计受理政府信息公开申请356件。2009年，全市主动公开政府信息21563条。\n"
        "二、依申请公开政府信息情况\n"
        "自2008年5月1日以来，全市累计受理政府信息公开申请356件。2009年共受理申请128件。\n"
    )
    assert values(text) == {"active.published_items": 21563, "requests.received": 128}


@pytest.mark.parametrize("since", ["今年以来", "2009年以来", "本年度以来"])
def test_since_the_start_of_the_year_is_the_years_own(since: str) -> None:
    text = f"某市2009年政府信息公开工作年度报告\n{since}，全市主动公开政府信息21563条。"
    assert values(text) == {"active.published_items": 21563}


def test_a_sentence_about_the_previous_year_gives_none_of_this_years_figures() -> None:
    text = (
        "某县人民政府2012年政府信息公开工作年度报告\n一、概述\n"
        "2011年，全县共受理政府信息公开申请34件，主动公开政府信息2210条。"
        "2012年，全县主动公开政府信息2456条，共受理政府信息公开申请46件。\n"
    )
    assert values(text) == {"active.published_items": 2456, "requests.received": 46}


def test_a_comparison_with_the_previous_year_leaves_the_years_figure() -> None:
    text = "某县2012年政府信息公开工作年度报告\n与2011年相比，全县主动公开政府信息2456条，增长11%。"
    assert values(text) == {"active.published_items": 2456}


def test_the_part_about_disclosure_of_all_cases_is_the_figure() -> None:
    text = (
        "某市人民政府法制办公室2015年政府信息公开工作年度报告\n一、概述\n"
        "全年共办理行政复议案件312件，其中因政府信息公开申请行政复议的8件；"
        "市政府作为被告的行政诉讼案件46件，其中涉及政府信息公开的5件。\n"
    )
    assert values(text) == {"review.count": 8, "litigation.count": 5}


def test_cases_about_disclosure_broken_down_keep_their_count() -> None:
    text = "2015年，因政府信息公开申请行政复议3件，其中维持2件、撤销1件。"
    assert values(text) == {"review.count": 3}


def test_the_sum_after_a_breakdown_of_what_was_published() -> None:
    text = ("本年度主动公开的政府信息中，人事信息类14条、规划计划类20条、政策法规类9条、其他类14条，合计57条。\n"
            "按照有关规定，全年收取检索、复制、邮寄等成本费用共计35元，无减免情况。")
    assert values(text) == {"active.published_items": 57, "fees.charged": 35}


def test_the_years_part_of_a_running_total() -> None:
    text = ("某街道2016年政府信息公开工作年度报告\n"
            "截至2016年12月31日，本街道累计主动公开政府信息1305条，其中2016年新增主动公开政府信息156条。")
    assert values(text) == {"active.published_items": 156}
    earlier = text.replace("其中2016年新增", "其中2015年新增")
    assert values(earlier) == {}


@pytest.mark.parametrize(("text", "expected"), [
    ("2009年度未收到要求公开政府信息的申请，也不存在不予公开政府信息的情况。", {"requests.received": 0}),
    ("全年收到要求公开政府信息的申请12件。", {"requests.received": 12}),
    ("四、收费及减免情况\n本年度未收取任何费用。", {"fees.charged": 0}),
    ("四、政府信息公开的收费及减免情况\n收取信息检索费、复制费共计人民币360元，减免费用120元。", {"fees.charged": 360}),
])
def test_legacy_wordings(text: str, expected: dict[str, int]) -> None:
    assert values(text) == expected


def test_a_fee_heading_that_does_not_speak_of_disclosure_says_nothing() -> None:
    assert values("四、收费情况\n本年度未收取任何费用。") == {}
