"""The 資料2 table: per municipality, the count at two periods, and the total line."""

from __future__ import annotations

from dataclasses import dataclass

from council.wareki import snapshot_label
from online_procedures import selectors


@dataclass
class ComparisonRow:
    municipality_id: int
    code: str
    name: str
    before: int | None
    after: int | None
    checklist: bool


@dataclass
class Comparison:
    period: object
    before_period: object | None
    rows: list[ComparisonRow]
    total: int  # procedures in the catalogue

    @property
    def after_label(self) -> str:
        return snapshot_label(self.period.as_of)

    @property
    def before_label(self) -> str:
        return snapshot_label(self.before_period.as_of) if self.before_period else ""

    @property
    def reported(self) -> list[ComparisonRow]:
        return [r for r in self.rows if r.after is not None]

    @property
    def sum_after(self) -> int:
        return sum(r.after for r in self.reported)

    @property
    def all_offered(self) -> int:
        return sum(1 for r in self.reported if r.after == self.total)

    @property
    def total_line(self) -> str:
        """R5.4時点合計 19市町延べ440手続"""
        return f"{self.after_label}合計 {len(self.reported)}市町延べ{self.sum_after}手続"

    # the period compared with: its total beside this one's, and what changed in between

    @property
    def reported_before(self) -> list[ComparisonRow]:
        return [r for r in self.rows if r.before is not None]

    @property
    def sum_before(self) -> int:
        return sum(r.before for r in self.reported_before if r.before is not None)

    @property
    def before_total_line(self) -> str:
        """R4.4時点合計 19市町延べNNN手続 (empty without a period to compare with)"""
        if not self.before_period:
            return ""
        return f"{self.before_label}合計 {len(self.reported_before)}市町延べ{self.sum_before}手続"

    @property
    def changes(self) -> list[tuple[str, int, int, int]]:
        """(name, before, after, difference) of the municipalities whose count changed."""
        return [
            (r.name, r.before, r.after, r.after - r.before)
            for r in self.rows
            if r.before is not None and r.after is not None and r.after != r.before
        ]

    @property
    def change_total(self) -> int | None:
        """The 延べ手続数's change over the municipalities reported at both periods."""
        both = [r for r in self.rows if r.before is not None and r.after is not None]
        if not both:
            return None
        return sum(r.after for r in both if r.after is not None) - sum(
            r.before for r in both if r.before is not None
        )


def comparison(*, period, before_period, municipalities, total: int) -> Comparison:
    periods = [p for p in (before_period, period) if p]
    rows: dict[int, ComparisonRow] = {}
    for m_id, code, name, period_id, count, checked in selectors.counts(
        periods=periods, municipalities=municipalities
    ):
        row = rows.setdefault(m_id, ComparisonRow(m_id, code, name, None, None, False))
        if period_id == period.pk:
            row.after, row.checklist = count, checked > 0
        else:
            row.before = count
    return Comparison(period, before_period, [r for r in rows.values() if r.after is not None], total)


def count_text(value: int | None) -> str:
    return "" if value is None else f"{value}手続"
