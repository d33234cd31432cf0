"""資料4 writes: the confirmation section of a quarterly report (the inventory's counts as confirmed,
and what blocks the review)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User

from analog_review.models import AnalogCount, AnalogReviewConfirmation
from council.framework.sections import SectionWriter


class AnalogConfirmationWriter(SectionWriter[AnalogReviewConfirmation]):
    """`data`: {"blockers": str, "counts": [{"regulation_type_id", "status", "count"}]}. The counts
    are taken afresh from the inventory when confirmed, so a new draft carries only the blockers."""

    model = AnalogReviewConfirmation
    copied_fields = ("blockers",)

    def validate(
        self, section: AnalogReviewConfirmation, data: dict[str, Any], context: None
    ) -> list[AnalogCount]:
        section.blockers = data.get("blockers", "")
        return [
            AnalogCount(regulation_type_id=c["regulation_type_id"], status=c["status"], count=c["count"])
            for c in data.get("counts", [])
            if c["count"]
        ]

    def write_children(
        self, section: AnalogReviewConfirmation, children: list[AnalogCount], *, user: User | None
    ) -> None:
        section.counts.all().delete()
        for count in children:
            count.section = section
        AnalogCount.objects.bulk_create(children)

    def insert_children(
        self, pairs: list[tuple[AnalogReviewConfirmation, list[AnalogCount]]], *, user: User | None
    ) -> None:
        for section, children in pairs:
            self.write_children(section, children, user=user)
