"""Reads for 資料5: one query per table or series."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import F, Q, QuerySet

from council.models import Municipality
from council.text import quoted
from mynumber.models import Snapshot, SnapshotRow


def resolve_snapshot(slug: str | None) -> Snapshot | None:
    """The snapshot named by its as-of date (2023-03-31), or the latest; LookupError if unknown."""
    if slug:
        snapshot = Snapshot.objects.filter(as_of=slug).first() if _is_date(slug) else None
        if snapshot is None:
            raise LookupError(f"時点「{quoted(slug)}」のデータはありません（形式: 2023-03-31）。")
        return snapshot
    return Snapshot.objects.order_by("as_of").last()


def _is_date(text: str) -> bool:
    from datetime import date

    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


def rows_for(*, snapshot: Snapshot, organisations: QuerySet[Municipality]) -> list[SnapshotRow]:
    """The nation's row and those of the visible organisations, nation first, then in code order."""
    return list(
        SnapshotRow.objects.filter(
            Q(organisation__isnull=True) | Q(organisation__in=organisations.values("pk")), snapshot=snapshot
        )
        .select_related("organisation")
        .order_by(F("organisation__display_order").asc(nulls_first=True), "organisation__code")
    )


def series(*, organisations: QuerySet[Municipality]) -> list[Mapping[str, Any]]:
    """Rates of the nation and the visible prefectures over every snapshot, oldest first."""
    prefectures = organisations.filter(kind=Municipality.Kind.PREFECTURE)
    return list(
        SnapshotRow.objects.filter(
            Q(organisation__isnull=True) | Q(organisation__in=prefectures.values("pk"))
        )
        .order_by("snapshot__as_of")
        .values("snapshot__as_of", "organisation__name", "application_rate", "issuance_rate")
    )
