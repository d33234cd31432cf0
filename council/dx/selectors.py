"""資料7 reads: approved DX-structure sections."""

from __future__ import annotations

from django.db.models import QuerySet

from council.dx.models import DXStructure
from council.models import Municipality, ReportingPeriod, ReportStatus


def dx_structures(
    *, period: ReportingPeriod, municipalities: QuerySet[Municipality] | None = None
) -> QuerySet[DXStructure]:
    """Approved DX-structure sections of the period, in the materials' order (one query)."""
    qs = DXStructure.objects.filter(report__period=period, report__status=ReportStatus.APPROVED)
    if municipalities is not None:
        qs = qs.filter(report__municipality__in=municipalities.values("pk"))
    return qs.select_related("report__municipality").order_by(
        "report__municipality__display_order", "report__municipality__code"
    )
