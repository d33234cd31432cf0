"""資料7 Excel book: the materials' table and the long format."""

from __future__ import annotations

from council.dx.models import DXStructure
from council.dx.selectors import dx_structures
from council.framework.xlsx import Column, Sheet
from council.models import ReportingPeriod

DX_TABLE_HEADERS = [
    "市町名",
    "担当所属",
    "全体方針の策定",
    "全庁的なDX推進体制",
    "外部人材確保(CIO補佐官等)",
    "情報職の採用",
]
DX_LONG_HEADERS = [
    "団体コード",
    "団体名",
    "報告期間",
    "時点",
    "担当所属",
    "全体方針の策定",
    "策定予定年度",
    "全庁的なDX推進体制",
    "外部人材確保",
    "外部人材の人数",
    "情報職の採用",
    "情報職の人数",
]


def dx_table_row(dx: DXStructure) -> list[str]:
    """One row of the 資料7 table, in the materials' notation."""
    return [
        dx.report.municipality.name,
        dx.department,
        dx.policy_mark,
        dx.promotion_body,
        dx.external_talent_mark,
        dx.it_hires_mark,
    ]


def build_dx_book(period: ReportingPeriod, municipalities) -> list[Sheet]:
    structures = list(dx_structures(period=period, municipalities=municipalities))
    table = Sheet(
        title="資料7 市町のDX推進体制等",
        preface=["市町のDX推進体制等", f"{period.as_of_label}時点（{period.label}・承認済みの報告）"],
        headers=DX_TABLE_HEADERS,
        rows=(dx_table_row(dx) for dx in structures),
    )
    long = Sheet(
        title="データ",
        headers=DX_LONG_HEADERS,
        rows=(
            [
                dx.report.municipality.code,
                dx.report.municipality.name,
                period.label,
                period.as_of,
                dx.department,
                dx.get_policy_display(),
                dx.policy_planned_fiscal_year,
                dx.promotion_body,
                "○" if dx.has_external_talent else "",
                dx.external_talent_count,
                "○" if dx.has_it_hires else "",
                dx.it_hires_count,
            ]
            for dx in structures
        ),
        columns=[
            *[Column()] * 6,
            Column('0"年度"'),
            Column(),
            Column(),
            Column('0"名"'),
            Column(),
            Column('0"名"'),
        ],
    )
    return [table, long]
