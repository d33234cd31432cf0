"""Meeting services: freeze materials as presented, copy a meeting to the next, compare contents.

A material's content is what its app produces for its period: the table (the 資料 layout, from
the app's exporter) and the headline cards and figures (its dashboard's own, `material_figures`), of
the organisations the dashboard expects, serialised to JSON. Freezing stores that content
on the material; the meeting then shows it whatever is approved later.
"""

from __future__ import annotations

import contextlib
import itertools
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import F, Max, Q
from django.utils import timezone

from council.framework import registry
from council.framework.cards import cards_data
from council.framework.charts import Chart
from council.framework.exports import ExportUnavailable, prepare_export
from council.framework.xlsx import Sheet, columns_data, columns_from, format_number
from council.meetings.narrative import narrative_rows
from council.models import ActionItem, AgendaItem, Material, Meeting, Municipality, Opinion
from council.text import clean_lines


class MeetingError(Exception):
    """A refused meeting write, worded in Japanese; nothing was written."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def organisations_of(meeting: Meeting):
    """The organisations whose data the meeting's materials show: its council's prefecture and
    the prefecture's municipalities."""
    return Municipality.objects.filter(Q(pk=meeting.organiser_id) | Q(prefecture_id=meeting.organiser_id))


def _sheet_data(sheet: Sheet) -> dict:
    return {
        "title": sheet.title,
        "preface": list(sheet.preface),
        "headers": list(sheet.headers),
        "rows": [list(row) for row in sheet.rows],
        "footer": [list(row) for row in sheet.footer],
        "columns": columns_data(sheet.columns),
        "footer_columns": columns_data(sheet.footer_columns),
    }


def shown_rows(table: dict, key: str = "rows") -> list[list]:
    """A table's rows (or footer) as the workbook shows them: numbers in their column's format
    (8 → 「8手続」). Tables frozen before formats were kept come back unchanged."""
    columns = table.get("columns") or []
    if key == "footer" and table.get("footer_columns") is not None:
        columns = table.get("footer_columns")
    formats = [c.get("number_format") for c in columns]
    return [
        [format_number(v, formats[i]) if i < len(formats) else v for i, v in enumerate(row)]
        for row in table.get(key, [])
    ]


def _chart_data(chart: Chart) -> dict:
    return {
        "key": chart.key,
        "title": chart.title,
        "figure": chart.figure_data(),
        "columns": list(chart.columns),
        "rows": [list(row) for row in chart.rows],
        "caption": chart.caption,
        "height": chart.height,
        "wide": chart.wide,
    }


def material_content(material: Material, *, with_charts: bool = True) -> dict | None:
    """The material's live content, or None for a text-only material or one without data. Without
    charts when only its tables are compared (they cost most to build)."""
    if not material.app_label:
        return None
    try:
        spec, period = prepare_export(material.app_label, material.period_key or None)
    except ExportUnavailable as error:
        return {
            "label": "",
            "slug": material.period_key,
            "unavailable": error.message,
            "sheets": [],
            "charts": [],
        }
    view = dashboard_view(material.app_label)
    # the organisations the app's dashboard expects (資料1, 2 and 7: the municipalities, as the
    # materials print them; the prefecture's own report is not a row of their tables)
    scope = organisations_of(material.meeting)
    figures = view.material_figures(period.slug, scope) if with_charts else None
    return {
        "label": period.label,
        "slug": period.slug,
        # the material's own table only (the 資料 layout, `first_table`): an export's further sheets
        # (資料1's national detail: thousands of rows) are the Excel book's, not the material's
        "sheets": [
            _sheet_data(sheet)
            for sheet in itertools.islice(spec.build(period, view.expected_among(scope)), 1)
        ],
        "charts": [_chart_data(chart) for chart in (figures or {}).get("charts", [])],
        "cards": cards_data((figures or {}).get("cards", [])),
    }


def dashboard_view(app_key: str):
    """The app's dashboard view: a material's headline cards and charts are the dashboard's own
    (`material_figures`), of the organisations it expects."""
    from django.urls import resolve, reverse

    return resolve(reverse(registry.dashboards.get(app_key).url_name)).func.view_class  # type: ignore[attr-defined]


def material_freeze(*, material: Material, user) -> Material:
    """Store the material's content as it stands now (staff press 「確定」 when preparing)."""
    with transaction.atomic():
        material = Material.objects.select_for_update().select_related("meeting").get(pk=material.pk)
        material.frozen_content = material_content(material)
        material.frozen_at = timezone.now()
        material.frozen_by = user
        if user is not None:
            material._history_user = user
        material.save(update_fields=["frozen_content", "frozen_at", "frozen_by"])
    return material


def meeting_freeze(*, meeting: Meeting, user) -> int:
    materials = list(meeting.materials.all())
    for material in materials:
        material_freeze(material=material, user=user)
    return len(materials)


def meeting_copy(*, meeting: Meeting, held_at: datetime, user) -> Meeting:
    """The same council's next meeting: the same agenda and materials, each material moved to the
    latest period with data, not yet frozen. Open action items follow by themselves (they stay
    open). Numbered after the council's own meetings of the fiscal year."""
    local = timezone.localtime(held_at)
    fiscal_year = local.year if local.month >= 4 else local.year - 1
    with transaction.atomic():
        same_year = Meeting.objects.filter(organiser_id=meeting.organiser_id, fiscal_year=fiscal_year)
        number = (same_year.aggregate(n=Max("number"))["n"] or 0) + 1
        new = Meeting.objects.create(
            fiscal_year=fiscal_year,
            number=number,
            title=meeting.title,
            held_at=held_at,
            format=meeting.format,
            place=meeting.place,
            chair=meeting.chair,
            organiser=meeting.organiser,
        )
        items = {}
        # parents first: PostgreSQL sorts NULLs last, so say so explicitly
        for item in meeting.agenda_items.order_by(F("parent_id").asc(nulls_first=True), "number"):
            items[item.pk] = AgendaItem.objects.create(
                meeting=new, parent=items.get(item.parent_id), number=item.number, title=item.title
            )
        for material in meeting.materials.all():
            key = next_period_key(material, organisations_of(meeting))
            Material.objects.create(
                meeting=new,
                agenda_item=items.get(material.agenda_item_id),
                number=material.number,
                title=material.title,
                app_label=material.app_label,
                period_key=key,
                description=material.description,
                narrative=material.narrative,
            )
    return new


def next_period_key(material: Material, organisations) -> str:
    """The period a copied material shows: for a material of quarterly reports the latest period
    whose expected reports are all approved (the rule the dashboards open by, so copying a meeting
    never makes them open on a half-approved quarter); otherwise the latest its app has data for;
    with no data yet the old one."""
    from council.framework import coverage, registry
    from council.selectors import periods_with_approved

    if not material.app_label:
        return material.period_key
    spec = registry.exporters.get(material.app_label)
    if spec.section_model is not None:
        expected = organisations.reporting()
        periods = periods_with_approved(spec.section_model)
        counts = coverage.approved_counts(spec.section_model, expected, periods)
        period, _ = coverage.default_period(periods, counts, expected.count())
        return period.slug if period else material.period_key
    with contextlib.suppress(ExportUnavailable):  # no data yet: keep the old period
        return prepare_export(material.app_label, None)[1].slug
    return material.period_key


def first_table(content: dict | None) -> dict | None:
    """The material's own table (the 資料 layout): the first sheet of its content."""
    return content["sheets"][0] if content and content.get("sheets") else None


@dataclass
class CellChange:
    row: str
    column: str
    before: Any
    after: Any


def table_changes(before: dict | None, after: dict | None) -> list[CellChange]:
    """Cell by cell, the differences of the first table (the 資料 layout) of two contents, rows
    matched by their first cell. Rows only in one side count as changed in every column."""
    old, new = first_table(before), first_table(after)
    if not (old and new):
        return []
    headers = new["headers"]
    old_rows = {str(r[0]): r for r in shown_rows(old) if r}
    changes = []
    for row in shown_rows(new):
        if not row:
            continue
        previous = old_rows.get(str(row[0]))
        for index, column in enumerate(headers[1:], start=1):
            value = row[index] if index < len(row) else None
            was = previous[index] if previous and index < len(previous) else None
            if (was or None) != (value or None):
                changes.append(CellChange(str(row[0]), column, was, value))
    return changes


def previous_material(material: Material) -> Material | None:
    """The same dashboard's material at the council's meeting before this one."""
    if not material.app_label:
        return None
    return (
        Material.objects.filter(
            app_label=material.app_label,
            meeting__organiser_id=material.meeting.organiser_id,
            meeting__held_at__lt=material.meeting.held_at,
            frozen_at__isnull=False,
        )
        .order_by("-meeting__held_at")
        .first()
    )


@dataclass
class FrozenChart:
    """A chart restored from frozen content; the `{% chart %}` tag draws it like a live one."""

    key: str
    title: str
    figure: dict
    columns: list
    rows: list
    caption: str = ""
    height: int = 360
    wide: bool = False
    table_open: bool = False
    prefix: str = ""

    @property
    def dom_id(self) -> str:
        return f"chart-{self.prefix}{self.key}"

    def figure_data(self) -> dict:
        return self.figure


def frozen_cards(content: dict | None) -> list[dict]:
    """A material's headline cards as kept in its content (none in contents frozen before cards)."""
    return list((content or {}).get("cards") or [])


def frozen_charts(content: dict | None, prefix: str = "") -> list[FrozenChart]:
    return [FrozenChart(**chart, prefix=prefix) for chart in (content or {}).get("charts", [])]


def agenda_lines(meeting: Meeting) -> list[str]:
    """The 次第 as printed: `1 議長あいさつ`, `・情報システムの標準化・共通化について 資料1`."""
    materials = {m.agenda_item_id: m for m in meeting.materials.all()}
    items = list(meeting.agenda_items.all())
    children: dict[int | None, list[AgendaItem]] = {}
    for item in items:
        children.setdefault(item.parent_id, []).append(item)
    lines = []
    for item in sorted(children.get(None, []), key=lambda i: i.number):
        material = materials.get(item.pk)
        lines.append(f"{item.number} {item.title}" + (f" 資料{material.number}" if material else ""))
        for child in sorted(children.get(item.pk, []), key=lambda i: i.number):
            material = materials.get(child.pk)
            lines.append(f"・{child.title}" + (f" 資料{material.number}" if material else ""))
    return lines


def meeting_sheets(meeting: Meeting) -> list[Sheet]:
    """The meeting's workbook: a cover with the agenda, then one sheet per material in its 資料
    layout (frozen content where frozen, else live)."""
    cover = Sheet(
        title="次第",
        preface=[f"{meeting.full_title} 次第", f"日時：{meeting.when}", f"場所：{meeting.where}"],
        headers=["次第"],
        rows=[[line] for line in agenda_lines(meeting)],
    )
    sheets = [cover]
    for material in meeting.materials.select_related("meeting"):
        content = material.frozen_content if material.is_frozen else material_content(material)
        sheets += material_sheets(material, content)
    return sheets


def material_sheets(material: Material, content: dict | None) -> list[Sheet]:
    """A material in the workbook: its sheet (`material_sheet`) and, when it has a table and a text,
    the text on a sheet of its own (「資料1 本文」), so the table prints as the material does."""
    sheets = [material_sheet(material, content)]
    if first_table(content) and material.narrative:
        sheets.append(
            Sheet(
                title=f"資料{material.number} 本文",
                preface=[f"資料{material.number} {material.title}（本文）"],
                headers=["本文"],
                rows=narrative_rows(material.narrative),
            )
        )
    return sheets


def material_sheet(material: Material, content: dict | None) -> Sheet:
    """A material's sheet: its 資料 table where it has one, with its words below it (the description,
    why there is no data); a material without a table gets its words and its text as the sheet."""
    table = first_table(content)
    status = "確定済み" if material.is_frozen else "未確定（現在のデータ）"
    words: list[list] = []
    if material.description:
        words.append([material.description])
    if (content or {}).get("unavailable"):
        words.append([content["unavailable"]])  # type: ignore[index]
    if table:
        return Sheet(
            title=f"資料{material.number}",
            preface=[
                f"資料{material.number} {material.title}",
                f"{content['label']}・{status}",  # type: ignore[index]
                *table["preface"],
            ],
            headers=table["headers"],
            rows=table["rows"],
            footer=[*table["footer"], *([[], *words] if words else [])],
            columns=columns_from(table.get("columns")) or (),
            footer_columns=columns_from(table.get("footer_columns")),
        )
    if material.narrative:
        if words:
            words.append([])
        words += narrative_rows(material.narrative)
    return Sheet(
        title=f"資料{material.number}",
        preface=[f"資料{material.number} {material.title}"],
        headers=["内容"],
        rows=words or [["（ポータルで管理するデータはありません）"]],
    )


def material_narrative_save(*, material: Material, narrative: str, user) -> Material:
    """Change a material's text (staff), refused once the material is frozen."""
    with transaction.atomic():
        material = Material.objects.select_for_update().get(pk=material.pk)
        if material.is_frozen:
            raise MeetingError("確定済みの資料の本文は変更できません。変更していません。")
        material.narrative = clean_lines(narrative)
        if user is not None:
            material._history_user = user
        material.save(update_fields=["narrative"])
    return material


def opinion_record(
    *,
    meeting: Meeting,
    agenda_item: AgendaItem | None,
    organisation: Municipality | None,
    speaker: str,
    content: str,
    action_title: str = "",
    user,
) -> Opinion:
    """Record an opinion raised at the meeting (会議モード or the meeting page) and, when a title is
    given, the action item that follows it (owned by the organisation, or the prefecture)."""
    content = clean_lines(content)
    speaker = clean_lines(speaker)
    if not content:
        raise MeetingError("意見の内容を入力してください。記録していません。")
    if agenda_item is not None and agenda_item.meeting_id != meeting.pk:
        raise MeetingError("この会議の議題を選んでください。記録していません。")
    with transaction.atomic():
        opinion = Opinion(
            meeting=meeting,
            agenda_item=agenda_item,
            organisation=organisation,
            speaker=speaker or (organisation.name if organisation else "（発言者未記入）"),
            content=content,
        )
        if user is not None:
            opinion._history_user = user
        opinion.save()
        if action_title.strip():
            item = ActionItem(
                meeting=meeting,
                opinion=opinion,
                title=clean_lines(action_title)[:200],
                owner=organisation if organisation and organisation.kind != "prefecture" else None,
            )
            if user is not None:
                item._history_user = user
            item.save()
    return opinion
