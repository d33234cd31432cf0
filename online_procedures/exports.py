"""資料2 Excel book: the R4.4時点 / R5.4時点 table with its total line, and the long format."""

from __future__ import annotations

from council.framework.xlsx import Column, Sheet
from council.selectors import periods_with_approved
from online_procedures.models import OnlineProcedureStatus, Procedure
from online_procedures.selectors import compare_period
from online_procedures.tables import comparison

LONG_HEADERS = ["団体コード", "団体名", "報告期間", "利用手続数"]
LONG_SHEET = "データ"
COUNT = Column('0"手続"')


def catalogue_line() -> str:
    """子育て(15手続)・介護(11手続)・被災者支援(1手続)、計27手続のマイナポータル活用状況"""
    counts = {c: 0 for c, _ in Procedure.Category.choices}
    for category in Procedure.objects.values_list("category", flat=True):
        counts[category] += 1
    parts = "・".join(f"{label}({counts[c]}手続)" for c, label in Procedure.Category.choices)
    return f"{parts}、計{sum(counts.values())}手続のマイナポータル活用状況"


def build_online_book(period, municipalities) -> list[Sheet]:
    before = compare_period(period, periods_with_approved(OnlineProcedureStatus))
    c = comparison(
        period=period, before_period=before, municipalities=municipalities, total=Procedure.objects.count()
    )
    table = Sheet(
        title="資料2 オンライン化取組状況",
        preface=["オンライン化取組状況のとりまとめ", catalogue_line()],
        headers=["市町名", c.before_label or "（比較なし）", c.after_label],
        rows=([r.name, r.before, r.after] for r in c.rows),
        footer=[[], [c.total_line]],
        columns=[Column(), COUNT, COUNT],
    )
    long_rows = []
    for p, key in ((before, "before"), (period, "after")):
        if p is None:
            continue
        long_rows += [
            [r.code, r.name, p.label, getattr(r, key)] for r in c.rows if getattr(r, key) is not None
        ]
    long = Sheet(
        title=LONG_SHEET, headers=LONG_HEADERS, rows=long_rows, columns=[Column(), Column(), Column(), COUNT]
    )
    return [table, long]
