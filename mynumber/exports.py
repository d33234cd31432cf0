"""資料5 Excel book: the prefecture block and the municipality table, and the data sheet that the
import reads back."""

from __future__ import annotations

from council.framework.xlsx import Sheet
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


def build_mynumber_book(snapshot, organisations) -> list[Sheet]:
    rows = selectors.rows_for(snapshot=snapshot, organisations=organisations)
    m = Material5.from_rows(rows)
    block = m.prefecture_block(m.prefectures[0]) if m.prefectures else ["", "", "", ""]
    table = Sheet(
        title="資料5 申請・交付状況",
        preface=["マイナンバーカードの申請・交付状況について", f"({snapshot.label})"],
        headers=["申請率", "全国順位", "交付率", "全国順位"],
        rows=[block],
        footer=[
            [],
            ["市町名", "申請率", "交付率"],
            *m.municipality_rows(),
            [],
            *[[note] for note in m.notes()],
        ],
        widths=[22, 10, 22, 10],
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
        widths=[12, 10, 14, 12, 12, 12, 8, 8, 10, 10, 40],
    )
    return [table, data]
