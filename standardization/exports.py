"""資料1 Excel book: the 完了済みフェーズ table in the materials' wording, and the long format."""

from __future__ import annotations

from council.framework.xlsx import Column, Sheet
from council.wareki import short_month_end
from standardization import analysis, selectors

LONG_HEADERS = [
    "団体コード",
    "団体名",
    "報告期間",
    "ステップ",
    "業務数",
    "一部",
    "完了予定日",
    "完了日（実績）",
]
LONG_SHEET = "データ"
TABLE_SHEET = "資料1 完了済みフェーズ"


def build_standardization_book(period, municipalities) -> list[Sheet]:
    master = selectors.master()
    reported = selectors.approved_sections(period=period, municipalities=municipalities)
    rows = selectors.step_rows(periods=[period], municipalities=municipalities)
    matrix = analysis.by_municipality(rows, period.pk)
    table = Sheet(
        title=TABLE_SHEET,
        preface=[
            f"標準化PMOツールによる進捗把握等 {short_month_end(period.as_of)}時点",
            f"（{period.label}・承認済みの報告）",
        ],
        headers=["市町", "完了済みフェーズ"],
        rows=(
            [name, "\n".join(analysis.material_lines(matrix.get(m_id, {}), master.steps, master.total))]
            for m_id, _code, name, _slug in reported
        ),
    )
    step_names = {s.pk: (s.order, s.name) for s in master.steps}
    names = {m_id: (code, name) for m_id, code, name, _ in reported}
    position = {m_id: index for index, m_id in enumerate(names)}
    ordered = sorted(
        (r for r in rows if r["progress__report__municipality_id"] in names),
        key=lambda r: (position[r["progress__report__municipality_id"]], step_names[r["step_id"]][0]),
    )
    label = period.label
    long = Sheet(
        title=LONG_SHEET,
        headers=LONG_HEADERS,
        rows=(
            [
                *names[r["progress__report__municipality_id"]],
                label,
                step_names[r["step_id"]][1],
                r["operations_done"],
                "○" if r["partial"] else "",
                r["planned_date"],
                r["actual_date"],
            ]
            for r in ordered
        ),
        columns=[Column(), Column(), Column(), Column(), Column('0"業務"')],
    )
    return [table, long, detail_sheet(period, municipalities)]


DETAIL_SHEET = "業務×ステップ"
DETAIL_HEADERS = [
    "団体コード",
    "団体名",
    "業務",
    "ステップ番号",
    "ステップ",
    "ステータス",
    "予定日",
    "実績日",
    "備考",
]


def detail_sheet(period, municipalities) -> Sheet:
    """The national detail of the approved reports (the municipalities and their prefecture), in
    the columns the grid's import reads (headers in row 1), so an organisation's rows can be brought
    back. A step without a row is 未着手."""
    from standardization.models import Status, StepStatus

    labels = dict(Status.choices)
    rows = (
        StepStatus.objects.filter(
            progress__report__period=period,
            progress__report__status="approved",
            progress__report__municipality__in=selectors.with_prefectures(municipalities).values("pk"),
        )
        .order_by(
            "progress__report__municipality__display_order",
            "progress__report__municipality__code",
            "operation__order",
            "step__number",
        )
        .values_list(
            "progress__report__municipality__code",
            "progress__report__municipality__name",
            "operation__name",
            "step__number",
            "step__name",
            "status",
            "planned_date",
            "actual_date",
            "note",
        )
        .iterator(chunk_size=2000)
    )
    return Sheet(
        title=DETAIL_SHEET,
        headers=DETAIL_HEADERS,
        rows=([*row[:5], labels.get(row[5], row[5]), *row[6:]] for row in rows),
        widths=[12, 16, 18, 10, 26, 10, 14, 14, 30],
    )
