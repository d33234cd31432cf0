"""会議モード and the print view cut into slides that fit: the rule for how many table rows fit a
slide, figures on slides of their own, the agenda numbered once, chart text at least 18 px."""

import math
import re

import pytest
from django.urls import reverse

from council.framework.charts import PRESENTER_FONT_SIZE, count_axis, count_step, presenter_figure
from council.meetings.slides import (
    PRINT,
    SCREEN,
    column_widths,
    row_lines,
    table_pages,
    text_pages,
    text_width,
)
from council.models import Meeting


def one_line_rows(n):
    return [[f"市{i}", "○"] for i in range(n)]


def rows_that_fit(medium, lines=1, preface=0):
    """The rule, written out: the room under the slide's heading, less the header row and the
    preface's lines, divided by the height of one row of `lines` lines."""
    room = medium.height - medium.row_height(1) - preface * medium.line
    return int(room // medium.row_height(lines))


def test_the_rule_a_slide_holds_21_one_line_rows_on_the_screen_and_24_on_paper():
    assert rows_that_fit(SCREEN) == 21
    assert rows_that_fit(SCREEN, preface=2) == 19  # 資料7: 19 municipalities under a two-line caption
    assert rows_that_fit(SCREEN, lines=4) == 6
    assert rows_that_fit(PRINT) == 22
    table = {"preface": [], "headers": ["団体", "状況"], "rows": one_line_rows(21)}
    assert len(table_pages(table, SCREEN)) == 1
    table["rows"] = one_line_rows(22)
    assert [len(p.rows) for p in table_pages(table, SCREEN)] == [11, 11]  # spread evenly, no stub


def test_table_pages_repeat_the_header_keep_the_caption_first_and_the_footer_last():
    table = {
        "preface": ["標準化PMOツールによる進捗把握等", "R5.3月末時点"],
        "headers": ["市町", "完了済みフェーズ"],
        "rows": one_line_rows(38),
        "footer": [[], ["合計 40団体"]],
    }
    pages = table_pages(table, SCREEN)
    assert len(pages) == 2
    assert [p.headers for p in pages] == [["市町", "完了済みフェーズ"]] * 2
    assert pages[0].preface == table["preface"] and pages[1].preface == []
    assert [r for p in pages for r in p.rows] == table["rows"]
    assert pages[0].footer == [] and pages[1].footer == [["合計 40団体"]]  # the empty row is not drawn


def test_rows_count_their_lines_and_wrapping():
    row = ["宇部市", "18業務について現行システムの概要調査(一部)\n18業務についてRFIの実施"]
    assert row_lines(row, column_widths(["市町", "完了済みフェーズ"], [row], SCREEN)) == 2
    assert text_width("全業務") == 3 and text_width("RFI") == pytest.approx(1.65)
    # six columns of long text are wider than the slide: each column gets its share and wraps
    long = "全庁的なデジタル・トランスフォーメーション推進本部" * 3
    widths = column_widths(["a"] * 6, [[long] * 6], SCREEN)
    assert sum(widths) <= (SCREEN.width - 6 * SCREEN.cell_inset) / SCREEN.font + 0.01
    assert row_lines([long] * 6, widths) > 1
    # four-line rows (資料1): fewer per slide than one-line rows
    four = [["宇部市", "一\n二\n三\n四"] for _ in range(19)]
    pages = table_pages({"headers": ["市町", "完了済みフェーズ"], "rows": four}, SCREEN)
    assert len(pages) == 4 and max(len(p.rows) for p in pages) <= rows_that_fit(SCREEN, lines=4)


def test_a_row_taller_than_a_slide_gets_a_slide_of_its_own():
    rows = [["a", "x"], ["b", "\n".join(["行"] * 60)], ["c", "y"]]
    pages = table_pages({"headers": ["団体", "内容"], "rows": rows}, SCREEN)
    assert [p.rows for p in pages] == [[rows[0]], [rows[1]], [rows[2]]]


def test_count_axes_tick_whole_numbers():
    assert [count_step(m) for m in (0, 1, 3, 8, 9, 16, 19, 27, 40, 41, 440)] == [
        1,
        1,
        1,
        1,
        2,
        2,
        5,
        5,
        5,
        10,
        100,
    ]
    axis = count_axis(3, title_text="団体数")
    assert axis["dtick"] == 1 and axis["tickformat"] == ",d" and axis["title_text"] == "団体数"


def test_presenter_figures_have_no_text_under_18px_and_leave_the_stored_figure_alone():
    stored = {
        "data": [{"type": "heatmap", "z": [[1]], "texttemplate": "%{text}", "text": [["全"]]}],
        "layout": {
            "font": {"size": 14},
            "xaxis": {"title": {"text": "団体数", "font": {"size": 12}}},
            "annotations": [{"text": "県 交付率", "font": {"size": 12}}],
            "height": 702,
        },
    }
    shown = presenter_figure(stored, presenter=True)
    assert stored["layout"]["font"]["size"] == 14 and stored["layout"]["height"] == 702

    def sizes(node):
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "size":
                    yield value
                else:
                    yield from sizes(value)
        elif isinstance(node, list):
            for item in node:
                yield from sizes(item)

    assert min(sizes(shown)) >= PRESENTER_FONT_SIZE == 18
    assert "height" not in shown["layout"] and shown["layout"]["xaxis"]["automargin"] is True
    printed = presenter_figure(stored, presenter=False)
    assert printed["layout"]["font"]["size"] == 14 and printed["layout"]["yaxis"]["automargin"] is True


@pytest.fixture
def meeting(seeded):
    return Meeting.objects.get(fiscal_year=2023, number=1)


def test_agenda_slide_numbers_each_item_once_with_sub_items_indented(client, member, meeting):
    client.force_login(member)
    page = client.get(reverse("council:present", args=[meeting.pk])).content.decode()
    agenda = page[page.index('<ol class="agenda">') : page.index("</ol>")]
    assert '<li value="1">議長あいさつ' in agenda and '<li value="2">国の動向及び対応について' in agenda
    assert "1 議長あいさつ" not in agenda and "<li>・" not in agenda  # the list numbers and bullets them
    nested = agenda[agenda.index("<ul>") : agenda.index("</ul>")]
    assert nested.count("<li>") == 5 and "情報システムの標準化・共通化について" in nested


def test_print_view_has_no_page_for_an_item_without_material(client, member, meeting):
    client.force_login(member)
    page = client.get(reverse("council:print", args=[meeting.pk])).content.decode()
    assert (
        page.count('class="print-page"') == 20 + 13
    )  # a page each: the title, 資料1–8's text, table pages, figures, 2 of headline cards (before
    # 資料1's and 資料3's heat maps), and 13 pages of the materials' narratives
    assert '<h1 class="slide-title">1 議長あいさつ</h1>' not in page


def test_a_long_material_text_is_cut_into_slides_of_whole_paragraphs():
    assert text_pages("", SCREEN) == []
    assert text_pages("代表的なアナログ規制7項目を点検する。", SCREEN) == [
        ["代表的なアナログ規制7項目を点検する。"]
    ]
    paragraphs = [
        f"{i}. " + "やまぐちDX加速化事業の概要と令和5年度の取組予定について説明します。" * 2
        for i in range(30)
    ]
    pages = text_pages("\n".join(paragraphs), SCREEN)
    assert len(pages) > 1 and [p for page in pages for p in page] == paragraphs
    per_line = SCREEN.width / SCREEN.text_font
    for page in pages:  # each slide's paragraphs fit under its heading
        height = sum(
            math.ceil(text_width(p) / per_line) * SCREEN.text_font * 1.6 + SCREEN.text_font for p in page
        )
        assert height <= SCREEN.height


def test_material_text_gets_slides_of_its_own(client, member, meeting):
    material = meeting.materials.get(number=6)
    material.description = "\n".join(f"{i}. 県の取組の説明文です。" * 6 for i in range(40))
    material.save()
    client.force_login(member)
    page = client.get(reverse("council:present", args=[meeting.pk])).content.decode()
    parts = re.findall(
        r'資料6 デジタル関連の県の取組状況等 <span class="slide-part">\((\d+)/(\d+)\)</span>', page
    )
    assert len(parts) > 1 and parts == [(str(i), str(len(parts))) for i in range(1, len(parts) + 1)]
    assert "39. 県の取組の説明文です。" in page


CARD = re.compile(r'data-kpi="([\w-]+)">([^<]*)</span><span class="kpi-label">([^<]*)<')
#: the query parameter each dashboard names its period by (資料3/6 a fiscal year, 資料5 a date)
PERIOD_PARAMETER = {"rpa": "year", "programmes": "year", "mynumber": "as_of"}


def with_data(meeting):
    """The meeting's materials bound to a dashboard with data for their period."""
    from council.meetings.services import material_content

    return [
        m
        for m in meeting.materials.exclude(app_label="")
        if not ((m.frozen_content if m.is_frozen else material_content(m)) or {}).get("unavailable")
    ]


def slide_cards(page: str) -> dict[int, list[tuple[str, str, str]]]:
    """The cards drawn on the slides of each material (資料N), in order."""
    found: dict[int, list] = {}
    for slide in re.split(r'<section class="(?:slide|print-page)"', page)[1:]:
        number = re.search(r'<h1 class="slide-title">資料(\d+) ', slide)
        cards = CARD.findall(slide)
        if number and cards:
            assert int(number.group(1)) not in found, "the cards are on one slide of a material"
            found[int(number.group(1))] = cards
    return found


@pytest.mark.parametrize("view", ["council:present", "council:print"])
def test_a_materials_cards_are_its_dashboards_for_the_same_period(client, member, meeting, view):
    from council.framework import registry

    client.force_login(member)
    slides = slide_cards(client.get(reverse(view, args=[meeting.pk])).content.decode())
    bound = with_data(meeting)
    assert len(bound) == 6 and {m.number for m in bound} == set(slides)  # 資料4 has no approved data
    for material in bound:
        content = material.frozen_content if material.is_frozen else None
        slug = (content or {}).get("slug") or material.period_key
        url = reverse(registry.dashboards.get(material.app_label).url_name)
        parameter = PERIOD_PARAMETER.get(material.app_label, "period")
        dashboard = client.get(f"{url}?{parameter}={slug}").content.decode()
        assert slides[material.number] == CARD.findall(dashboard), material.app_label


def test_a_material_shows_cards_and_figures_before_its_table(meeting):
    """The dashboards' order in 会議モード and on paper: text, the figures (the first with the
    headline cards above it), then the table's pages."""
    from council.meetings.slides import material_slides

    order = ["text", "cards", "chart", "table"]
    for material in with_data(meeting):
        for medium in (SCREEN, PRINT):
            parts = material_slides(material, medium, presenter=medium is SCREEN)
            kinds = [p["kind"] for p in parts]
            assert kinds == sorted(kinds, key=order.index), (material.number, kinds)
            assert "table" in kinds and ("chart" in kinds or "cards" in kinds), (material.number, kinds)
            first_figure = next(p for p in parts if p["kind"] in ("chart", "cards"))
            assert first_figure["cards"], material.number
            assert all(not p.get("cards") for p in parts if p is not first_figure)
