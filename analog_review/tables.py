"""Summary tables of 資料4 from approved counts: type × status overall, per organisation, who has
started which types, and progress over quarters. Pure reshaping (pandas pivots of small frames)."""

from __future__ import annotations

import pandas as pd

from analog_review.models import ReviewStatus

STATUS_LABELS = [label for _, label in ReviewStatus.choices]
STATUS_KEYS = [value for value, _ in ReviewStatus.choices]


def frame(rows: list[dict]) -> pd.DataFrame:
    columns = [
        "section__report__municipality_id",
        "section__report__period_id",
        "regulation_type_id",
        "status",
        "count",
    ]
    return pd.DataFrame(rows, columns=columns)


def type_by_status(df: pd.DataFrame, types) -> list[list]:
    """[type name, count per status..., total] for every type, plus a total row."""
    pivot = df.pivot_table(
        index="regulation_type_id", columns="status", values="count", aggfunc="sum", fill_value=0
    )
    pivot = pivot.reindex(index=[t.pk for t in types], columns=STATUS_KEYS, fill_value=0)
    rows = [[t.name, *map(int, pivot.loc[t.pk]), int(pivot.loc[t.pk].sum())] for t in types]
    totals = [int(pivot[s].sum()) for s in STATUS_KEYS]
    return rows + [["合計", *totals, sum(totals)]]


def organisation_by_status(df: pd.DataFrame, organisations: list[tuple[int, str]]) -> list[list]:
    pivot = df.pivot_table(
        index="section__report__municipality_id",
        columns="status",
        values="count",
        aggfunc="sum",
        fill_value=0,
    )
    pivot = pivot.reindex(columns=STATUS_KEYS, fill_value=0)
    return [
        [name, *map(int, pivot.loc[m_id]), int(pivot.loc[m_id].sum())]
        for m_id, name in organisations
        if m_id in pivot.index
    ]


def organisation_by_type(df: pd.DataFrame, organisations: list[tuple[int, str]], types) -> list[list]:
    pivot = df.pivot_table(
        index="section__report__municipality_id",
        columns="regulation_type_id",
        values="count",
        aggfunc="sum",
        fill_value=0,
    )
    pivot = pivot.reindex(columns=[t.pk for t in types], fill_value=0)
    return [[name, *map(int, pivot.loc[m_id])] for m_id, name in organisations if m_id in pivot.index]


def period_by_status(df: pd.DataFrame, periods) -> list[list]:
    pivot = df.pivot_table(
        index="section__report__period_id", columns="status", values="count", aggfunc="sum", fill_value=0
    )
    pivot = pivot.reindex(columns=STATUS_KEYS, fill_value=0)
    return [[p.short_label, *map(int, pivot.loc[p.pk])] for p in periods if p.pk in pivot.index]
