"""Seed: the 「完了済みフェーズ (R5.3月末時点)」 table of 資料1, read back from the materials' wording."""

import csv

from django.conf import settings

from council.framework.registry import SeedSection
from council.models import Municipality
from standardization.models import Operation, StandardizationProgress, Step, StepProgress
from standardization.notation import parse_line

FIXTURES = settings.BASE_DIR / "fixtures" / "standardization"


def standardization_seed_sections():
    codes = dict(Municipality.objects.values_list("name", "code"))
    steps = dict(Step.objects.values_list("name", "pk"))
    total = Operation.objects.count()
    with open(FIXTURES / "completed_phases_2022-Q4.tsv", encoding="utf-8") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            items = []
            for line in row["完了済みフェーズ"].split():
                count, step_name, partial = parse_line(line, total)
                items.append({"step_id": steps[step_name], "operations_done": count, "partial": partial})
            yield SeedSection(codes[row["市町"]], 2022, 4, "standardization", {"steps": items})


def synthetic_progress(reports) -> None:
    """Deterministic progress for synthetic reports: the first k steps done, k varying by report."""
    steps = list(Step.objects.order_by("order")[:7])
    total = Operation.objects.count()
    sections = StandardizationProgress.objects.bulk_create(StandardizationProgress(report=r) for r in reports)
    StepProgress.objects.bulk_create(
        StepProgress(
            progress=section, step=step, operations_done=total - (i % 5), partial=bool((i + j) % 3 == 0)
        )
        for i, section in enumerate(sections)
        for j, step in enumerate(steps[: 1 + i % len(steps)])
    )
