"""Summary tables of 資料4 from approved counts: type × status overall, per organisation, who has
started which types, and progress over quarters.

The counts arrive aggregated from SQL (`selectors.approved_counts`: a few hundred rows for a
prefecture); summing them per key is plain Python. pandas was used here once and cost each server
process its import for four small pivots (see ARCHITECTURE.md, "pandas").
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from analog_review.models import ReviewStatus

STATUS_LABELS = [label for _, label in ReviewStatus.choices]
STATUS_KEYS = [value for value, _ in ReviewStatus.choices]

ORGANISATION = "section__report__municipality_id"
PERIOD = "section__report__period_id"
TYPE = "regulation_type_id"


def _sums(rows: Iterable[dict], key: str, column: Callable[[dict], object]) -> dict:
    """{row[key]: {column(row): summed count}}."""
    sums: dict = defaultdict(lambda: defaultdict(int))
    for row in rows:
        sums[row[key]][column(row)] += row["count"]
    return sums


@dataclass(frozen=True)
class Tables:
    """The four tables of 資料4 for one period, with the quarters before it for the trend."""

    type_rows: list[list]
    organisation_rows: list[list]
    started: list[list]
    progress: list[list]


def summary_tables(
    counts: list[dict], *, period, periods, types, organisations: list[tuple[int, str]]
) -> Tables:
    """`counts`: approved counts (organisation, period, type, status, count) of `periods`;
    `organisations`: (id, name) in the materials' order."""
    current = [row for row in counts if row[PERIOD] == period.pk]
    by_type = _sums(current, TYPE, lambda row: row["status"])
    by_organisation = _sums(current, ORGANISATION, lambda row: row["status"])
    types_by_organisation = _sums(current, ORGANISATION, lambda row: row[TYPE])
    by_period = _sums(counts, PERIOD, lambda row: row["status"])

    type_rows = []
    for t in types:
        values = [by_type.get(t.pk, {}).get(s, 0) for s in STATUS_KEYS]
        type_rows.append([t.name, *values, sum(values)])
    totals = [sum(row[1 + i] for row in type_rows) for i in range(len(STATUS_KEYS))]
    type_rows.append(["合計", *totals, sum(totals)])
    organisation_rows = []
    for m_id, name in organisations:
        if m_id in by_organisation:
            values = [by_organisation[m_id].get(s, 0) for s in STATUS_KEYS]
            organisation_rows.append([name, *values, sum(values)])
    return Tables(
        type_rows=type_rows,
        organisation_rows=organisation_rows,
        started=[
            [name, *[types_by_organisation[m_id].get(t.pk, 0) for t in types]]
            for m_id, name in organisations
            if m_id in types_by_organisation
        ],
        progress=[
            [p.short_label, *[by_period[p.pk].get(s, 0) for s in STATUS_KEYS]]
            for p in periods
            if p.pk in by_period
        ],
    )


def tables_for(period, periods, municipalities, types) -> Tables:
    """The tables for `period` of the organisations in `municipalities` (approved reports only)."""
    from analog_review import selectors

    return summary_tables(
        selectors.approved_counts(periods=periods, municipalities=municipalities),
        period=period,
        periods=periods,
        types=types,
        organisations=list(municipalities.order_by("display_order", "code").values_list("pk", "name")),
    )
