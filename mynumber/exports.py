"""資料5 Excel book: the prefecture block and the municipality table, and the data sheet that the
import reads back."""

from __future__ import annotations

from council.framework.xlsx import Column, Sheet
from mynumber import selectors
from mynumber.tables import Material5

DATA_HEADERS = [
    "時点",
    "団体コード",
    "団体名",
    "人口",
    "申請件数",
    "交付枚数",
    "申請率",
    "交付率",
    "申請率全国順位",
    "交付率全国順位",
    "注記",
]
REQUIRED_HEADERS = DATA_HEADERS[:6]
DATA_SHEET = "データ"
RATE = Column('0.0"%"')
RANK = Column('0"位"')
PEOPLE = Column("#,##0")


def rate_column(national) -> Column:
    """80.1 shown as 「80.1% (全国76.8%)」, as the materials print the prefecture's rates."""
    if national is None:
        return RATE
    return Column(f'0.0"% (全国{national:.1f}%)"')


def build_mynumber_book(snapshot, organisations) -> list[Sheet]:
    rows = selectors.rows_for(snapshot=snapshot, organisations=organisations)
    m = Material5.from_rows(rows)
    pref = m.prefectures[0] if m.prefectures else None
    nation = m.national
    block = (
        [float(pref.application_rate), pref.application_rank, float(pref.issuance_rate), pref.issuance_rank]
        if pref
        else [None] * 4
    )
    table = Sheet(
        title="資料5 申請・交付状況",
        preface=["マイナンバーカードの申請・交付状況について", f"({snapshot.label})"],
        headers=["申請率", "全国順位", "交付率", "全国順位"],
        rows=[block],
        columns=[
            rate_column(nation.application_rate if nation else None),
            RANK,
            rate_column(nation.issuance_rate if nation else None),
            RANK,
        ],
        footer=[
            [],
            ["市町名", "申請率", "交付率"],
            *[
                [m.display_name(r), float(r.application_rate), float(r.issuance_rate)]
                for r in m.municipalities
            ],
            [],
            *[[note] for note in m.notes()],
        ],
        footer_columns=[Column(), RATE, RATE],
    )
    data = Sheet(
        title=DATA_SHEET,
        headers=DATA_HEADERS,
        rows=(
            [
                snapshot.as_of,
                r.organisation.code if r.organisation_id else "",
                r.name,
                r.population,
                r.applications,
                r.issued,
                float(r.application_rate),
                float(r.issuance_rate),
                r.application_rank,
                r.issuance_rank,
                r.rank_note,
            ]
            for r in rows
        ),
        columns=[Column(), Column(), Column(), PEOPLE, PEOPLE, PEOPLE, RATE, RATE, RANK, RANK],
    )
    return [table, data]
