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
    """Deterministic progress for synthetic reports, with the national detail: for operation j of
    report i, the first (i + j) % 5 steps 完了済み, the next one 作業中 every other time, the last
    step 対象外 for every seventh operation; the materials' summary derived from it, as the writer
    derives it. Bulk inserts, no history (a scale fixture, not a record of anyone's work)."""
    from datetime import date

    from standardization.models import Status, StepStatus
    from standardization.rates import derive_summary

    steps = [s.pk for s in Step.objects.exclude(number=None).order_by("number")]
    operations = list(Operation.objects.all())
    sections = StandardizationProgress.objects.bulk_create(StandardizationProgress(report=r) for r in reports)
    kinds = {r.pk: r.municipality.kind for r in reports}
    statuses, summaries = [], []
    for i, section in enumerate(sections):
        ops = [op for op in operations if op.prefecture_reports or kinds[section.report_id] != "prefecture"]
        cells = []
        for j, op in enumerate(ops):
            done = (i + j) % 5
            for k in range(done):
                cells.append((op.pk, steps[k], Status.DONE, date(2022, 1 + k, 1)))
            if (i + j) % 2:
                cells.append((op.pk, steps[done], Status.IN_PROGRESS, None))
            if j % 7 == 0:
                cells.append((op.pk, steps[-1], Status.NOT_APPLICABLE, None))
        statuses += [
            StepStatus(progress=section, operation_id=o, step_id=s, status=st, actual_date=actual)
            for o, s, st, actual in cells
        ]
        derived = derive_summary(
            (
                {"step_id": s, "status": st, "planned_date": None, "actual_date": actual}
                for _o, s, st, actual in cells
            ),
            len(ops),
        )
        summaries += [StepProgress(progress=section, **row) for row in derived.values()]
    StepStatus.objects.bulk_create(statuses, batch_size=2000)
    StepProgress.objects.bulk_create(summaries, batch_size=2000)
