"""資料4 has no per-provision figures in the materials: the seed holds only the eight types
(fixtures/analog_review/types.json). Synthetic counts serve benchmarks and query-count tests."""

from analog_review.models import AnalogCount, AnalogReviewConfirmation, RegulationType, ReviewStatus


def synthetic_analog(reports) -> None:
    types = list(RegulationType.objects.all())
    statuses = list(ReviewStatus)
    sections = AnalogReviewConfirmation.objects.bulk_create(
        AnalogReviewConfirmation(report=r) for r in reports
    )
    AnalogCount.objects.bulk_create(
        AnalogCount(
            section=s,
            regulation_type=types[(i + j) % len(types)],
            status=statuses[j % len(statuses)],
            count=1 + (i * j) % 7,
        )
        for i, s in enumerate(sections)
        for j in range(3)
    )
