"""資料4 Excel book: the summary tables of a period's approved counts, and the inventory."""

from __future__ import annotations

from analog_review import selectors, tables
from analog_review.models import Provision
from analog_review.tables import STATUS_LABELS
from council.framework.xlsx import Column, Sheet
from council.selectors import periods_with_approved

COUNT = Column('#,##0"件"')
COUNTS = [Column(), *[COUNT] * (len(STATUS_LABELS) + 1)]

INVENTORY_HEADERS = [
    "団体コード",
    "団体名",
    "識別番号",
    "例規名",
    "規定",
    "例規の種類",
    "類型",
    "該非",
    "見直しの方向性",
    "状況",
    "目標時期",
    "備考",
]


def inventory_sheet(organisations) -> Sheet:
    """The inventory in the import's own layout (団体名 is informative; the import ignores it)."""
    scope = {True: "該当", False: "非該当", None: ""}
    rows = (
        Provision.objects.filter(organisation__in=organisations.values("pk"))
        .select_related("organisation", "regulation_type")
        .order_by("organisation__display_order", "regulation_type__order", "reference")
    )
    return Sheet(
        title="台帳",
        headers=INVENTORY_HEADERS,
        rows=(
            [
                p.organisation.code,
                p.organisation.name,
                p.reference,
                p.rule_title,
                p.title,
                p.get_rule_level_display(),
                p.regulation_type.name,
                scope[p.in_scope],
                p.direction,
                p.get_status_display(),
                p.target_date,
                p.note,
            ]
            for p in rows.iterator(chunk_size=2000)
        ),
    )


def build_analog_book(period, municipalities) -> list[Sheet]:
    from analog_review.models import AnalogReviewConfirmation

    types = selectors.types()
    periods = periods_with_approved(AnalogReviewConfirmation)
    t = tables.tables_for(period, periods, municipalities, types)
    return [
        Sheet(
            title="類型×状況",
            preface=["アナログ規制の点検・見直し 類型・状況別の件数", f"{period.label}（承認済みの報告）"],
            headers=["類型", *STATUS_LABELS, "合計"],
            rows=t.type_rows,
            columns=COUNTS,
        ),
        Sheet(
            title="団体別",
            headers=["団体", *STATUS_LABELS, "合計"],
            rows=t.organisation_rows,
            columns=COUNTS,
        ),
        Sheet(
            title="着手した類型",
            headers=["団体", *[t.name for t in types]],
            rows=t.started,
            columns=[Column(), *[COUNT] * len(types)],
        ),
        Sheet(
            title="四半期の推移",
            headers=["報告期間", *STATUS_LABELS],
            rows=t.progress,
            columns=COUNTS,
        ),
        inventory_sheet(municipalities),
    ]
