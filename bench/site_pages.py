"""Government site pages for the benchmark: a real report inside a site's chrome, made at bench time.

Real annual reports are published as pages of 50–300 KB: the report (often pasted from Word, every
run of text in its own styled ``<span>``) sits among the site's header, search box, menus with
drop-downs, a breadcrumb, a side column of links, related articles, a footer with the site's
registration numbers, inline styles and scripts, and a few elements hidden by style. This module
builds such pages around real report texts (tests/data/corpus), drawn through the project's own
report outline, so the benchmark measures what users feed it. Nothing here is committed as data.
"""

from __future__ import annotations

import random
from html import escape

from xxgk.model import Report
from xxgk.render.grid import Grid
from xxgk.render.outline import Block, report_outline, report_title

SECTIONS = ("首页", "机构概况", "政务公开", "政务服务", "互动交流", "专题专栏", "数据发布", "新闻中心", "政策文件",
            "规划计划", "财政信息", "人事信息")
TOPICS = ("关于印发", "关于做好", "关于开展", "关于公布", "关于进一步加强", "关于征求意见", "关于调整", "关于表彰")
SUBJECTS = ("安全生产工作的通知", "重点项目建设情况", "财政预算执行情况", "优化营商环境若干措施", "农村人居环境整治方案",
            "招生工作实施细则", "城乡居民医疗保险政策", "防汛抗旱工作预案", "政务服务事项清单", "双随机一公开抽查结果")

CSS_RULE = ".{name} {{ margin: 0 {a}px; padding: {b}px {a}px; color: #{c:06x}; font-size: {d}px; line-height: 1.{e}; }}\n"
SCRIPT_LINE = ("  var {name} = document.getElementById('{name}'); if ({name}) {{ {name}.onclick = function (e) {{ "
               "e.preventDefault(); window.location.href = '/col/col{n}/index.html?uid={n}&pageNum=' + {a}; }}; }}\n")


def site_page(report: Report, seed: int = 0) -> str:
    """The report as a government site publishes it: Word-pasted body inside the site's chrome."""
    rng = random.Random(seed)
    title = escape(report_title(report))
    body = "\n".join(_block(block) for block in report_outline(report))
    return f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml">
<head>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8" />
<meta name="SiteName" content="某某市人民政府" /><meta name="ArticleTitle" content="{title}" />
<title>{title}_某某市人民政府</title>
<style type="text/css">
{_styles(rng)}</style>
<script type="text/javascript">
{_script(rng, 120)}</script>
</head>
<body>
<div class="topbar"><div class="w1200"><span>今天是：<script>document.write(new Date().toLocaleDateString());</script></span>
<a href="/">无障碍浏览</a> | <a href="/">长者模式</a> | <a href="/">繁體</a> | <a href="/">English</a></div></div>
<div class="header"><div class="logo"><a href="/"><img src="/images/logo.png" alt="某某市人民政府" /></a></div>
<form class="search" action="/search"><input type="text" name="q" placeholder="请输入关键词" /><button>搜索</button></form></div>
{_menu(rng)}
<div class="main w1200">
<div class="position">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a> &gt; <a href="/zwgk/xxgk/">政府信息公开</a>
 &gt; <a href="/zwgk/xxgk/ndbg/">政府信息公开年报</a></div>
<div class="left">{_side(rng)}</div>
<div class="right">
<table class="xxgk-info" width="100%" cellspacing="0" cellpadding="0"><tr><td>索引号：</td><td>11{rng.randrange(10**16):016d}/2022-00012</td>
<td>主题分类：</td><td>政务公开</td></tr><tr><td>发文机关：</td><td>某某市人民政府办公室</td><td>成文日期：</td><td>2022-01-18</td></tr>
<tr><td>标题：</td><td colspan="3">{title}</td></tr></table>
<div class="article"><h1 class="title">{title}</h1>
<div class="info">发布时间：2022-01-20 09:30 来源：本站 浏览次数：<span id="hits">{rng.randrange(100, 9999)}</span>
<span class="font">【字体：<a href="javascript:doZoom(18)">大</a> <a href="javascript:doZoom(16)">中</a>
<a href="javascript:doZoom(14)">小</a>】</span></div>
<div class="share" style="display:none"><a href="#">微信</a><a href="#">微博</a><a href="#">QQ空间</a></div>
<div id="zoom" class="content">
{body}
</div>
<div class="attach">附件：<a href="/attach/report.pdf">{title}.pdf</a></div>
<div class="tools"><a href="javascript:window.print()">【打印本页】</a> <a href="javascript:window.close()">【关闭窗口】</a></div>
</div>
<div class="related"><h3>相关文章</h3><ul>{_links(rng, 12)}</ul></div>
</div></div>
<div class="footer"><div class="links"><h4>友情链接</h4><select onchange="window.open(this.value)"><option>国务院部门网站</option>
{"".join(f'<option value="http://www{i}.gov.cn/">部门网站{i}</option>' for i in range(30))}</select>
<ul>{_links(rng, 30)}</ul></div>
<p>主办单位：某某市人民政府办公室　承办单位：某某市大数据中心</p>
<p>网站标识码：{rng.randrange(10**9, 10**10)}　<a href="https://beian.miit.gov.cn/">某ICP备{rng.randrange(10**7, 10**8)}号</a>
　<img src="/images/gongan.png" alt="" />某公网安备 {rng.randrange(10**13, 10**14)}号</p>
<p>地址：某某市某某区人民路1号　邮编：100000　联系电话：010-{rng.randrange(10**7, 10**8)}</p>
<p><a href="/sitemap">网站地图</a> | <a href="/contact">联系我们</a> | <a href="/privacy">隐私声明</a></p></div>
<script type="text/javascript">
{_script(rng, 80)}</script>
<script type="text/javascript" src="/js/jquery.min.js"></script>
</body>
</html>
"""


def _styles(rng: random.Random) -> str:
    return "".join(CSS_RULE.format(name=f"c{i}-{rng.randrange(999)}", a=rng.randrange(30), b=rng.randrange(20),
                                   c=rng.randrange(0xFFFFFF), d=rng.randrange(12, 24), e=rng.randrange(9))
                   for i in range(250))


def _script(rng: random.Random, lines: int) -> str:
    return "".join(SCRIPT_LINE.format(name=f"el{i}_{rng.randrange(999)}", n=rng.randrange(10**5), a=rng.randrange(99))
                   for i in range(lines))


def _links(rng: random.Random, count: int) -> str:
    return "".join(f'<li><a href="/art/2022/{rng.randrange(1, 13)}/{rng.randrange(1, 29)}/art_{rng.randrange(10**6)}.html" '
                   f'target="_blank" title="{rng.choice(TOPICS)}{rng.choice(SUBJECTS)}">{rng.choice(TOPICS)}'
                   f'{rng.choice(SUBJECTS)}</a><span class="date">2022-{rng.randrange(1, 13):02d}-'
                   f'{rng.randrange(1, 29):02d}</span></li>' for _ in range(count))


def _menu(rng: random.Random) -> str:
    items = "".join(f'<li class="nav-item"><a href="/col/col{i}/">{name}</a><div class="sub"><ul>{_links(rng, 10)}</ul>'
                    "</div></li>" for i, name in enumerate(SECTIONS))
    return f'<div class="nav"><ul class="w1200">{items}</ul></div>'


def _side(rng: random.Random) -> str:
    groups = ("政府信息公开指南", "政府信息公开制度", "法定主动公开内容", "政府信息公开年报", "依申请公开")
    return "".join(f'<div class="side-box"><h3>{name}</h3><ul>{_links(rng, 8)}</ul></div>' for name in groups)


# --- the report as pasted from Word ------------------------------------------------------------

_SPAN = '<span style="font-size:16.0pt;font-family:仿宋_GB2312;mso-hansi-font-family:宋体">'


def _block(block: Block) -> str:
    if block.kind == "table":
        assert block.grid is not None
        return _table(block.grid)
    # Word splits a paragraph into runs wherever the formatting changed (numbers, punctuation, edits).
    text = escape(block.text)
    runs = "".join(f"{_SPAN}{text[i:i + 24]}</span>" for i in range(0, len(text), 24))
    if block.kind == "title":
        return f'<p class="MsoNormal" align="center" style="text-align:center;line-height:28.0pt"><b>{runs}</b></p>'
    if block.kind == "heading":
        return (f'<p class="MsoNormal" style="text-indent:32.0pt;line-height:28.0pt">'
                f'<span style="font-family:黑体">{text}</span></p>')
    return f'<p class="MsoNormal" style="text-indent:32.0pt;line-height:28.0pt;mso-line-height-rule:exactly">{runs}</p>'


def _table(grid: Grid) -> str:
    rows: list[list[str]] = [[] for _ in range(grid.height)]
    for cell in sorted(grid.cells, key=lambda c: (c.row, c.col)):
        attrs = "".join(f' {name}="{n}"' for name, n in (("rowspan", cell.rows), ("colspan", cell.cols)) if n > 1)
        rows[cell.row].append(
            f'<td width="{40 * cell.cols}" valign="center"{attrs} style="width:{30 * cell.cols}.0pt;border:solid windowtext '
            f'1.0pt;padding:0cm 5.4pt 0cm 5.4pt"><p class="MsoNormal" align="center" style="text-align:center">'
            f'<span style="font-size:10.5pt;font-family:宋体">{escape(cell.text)}</span></p></td>')
    body = "\n".join(f'<tr style="height:20.0pt">{"".join(cells)}</tr>' for cells in rows)
    return (f'<table class="MsoNormalTable" border="1" cellspacing="0" cellpadding="0" '
            f'style="border-collapse:collapse;border:none">\n<tbody>\n{body}\n</tbody>\n</table>')
