"""Seed: the 資料5 table (令和5年3月末現在): rates, the prefecture's ranks, 柳井市's note."""

import csv
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db.models import Sum

from council.models import Municipality
from mynumber.models import Snapshot, SnapshotRow

FIXTURES = settings.BASE_DIR / "fixtures" / "mynumber"
SEED_AS_OF = date(2023, 3, 31)


def load_mynumber_seed() -> int:
    """Create the 令和5年3月末現在 snapshot unless it exists. Returns the rows added."""
    snapshot, created = Snapshot.objects.get_or_create(
        as_of=SEED_AS_OF, defaults={"source": "令和5年度第1回山口県デジタル・ガバメント構築連携会議 資料5"}
    )
    if not created:
        return 0
    organisations = {m.name: m for m in Municipality.objects.all()}
    rows = []
    with open(FIXTURES / f"{SEED_AS_OF.isoformat()}.tsv", encoding="utf-8") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            rows.append(
                SnapshotRow(
                    snapshot=snapshot,
                    organisation=None if row["団体"] == "全国" else organisations[row["団体"]],
                    application_rate=Decimal(row["申請率"].rstrip("%")),
                    issuance_rate=Decimal(row["交付率"].rstrip("%")),
                    application_rank=int(row["申請率全国順位"]) if row["申請率全国順位"] else None,
                    issuance_rank=int(row["交付率全国順位"]) if row["交付率全国順位"] else None,
                    rank_note=row["注記"],
                )
            )
    for row in rows:
        row.full_clean()
        row.save()
    return len(rows)


def synthetic_mynumber(reports) -> None:
    """Counts for the synthetic nation at the latest snapshot: each new municipality gets plausible
    counts (deterministic, from its code) and a prefecture without a row gets the sum of its own.
    Existing rows (the materials' 山口県) are left alone."""
    snapshot = Snapshot.objects.order_by("-as_of").first()
    if snapshot is None:
        return
    municipalities = {r.municipality_id: r.municipality for r in reports}
    have = set(
        SnapshotRow.objects.filter(snapshot=snapshot, organisation__in=municipalities).values_list(
            "organisation_id", flat=True
        )
    )
    rows = []
    for m_id, municipality in municipalities.items():
        if m_id in have:
            continue
        n = int(municipality.code[:5])
        population = 3_000 + (n * 7_919) % 300_000
        applications = population * (60 + n % 30) // 100
        row = SnapshotRow(
            snapshot=snapshot,
            organisation=municipality,
            population=population,
            applications=applications,
            issued=applications * (85 + n % 14) // 100,
        )
        row.derive_rates()
        rows.append(row)
    SnapshotRow.objects.bulk_create(rows)
    for prefecture_id in {m.prefecture_id for m in municipalities.values()} - set(
        SnapshotRow.objects.filter(snapshot=snapshot, organisation__kind="prefecture").values_list(
            "organisation_id", flat=True
        )
    ):
        totals = SnapshotRow.objects.filter(
            snapshot=snapshot, organisation__prefecture_id=prefecture_id
        ).aggregate(population=Sum("population"), applications=Sum("applications"), issued=Sum("issued"))
        if totals["population"]:
            row = SnapshotRow(snapshot=snapshot, organisation_id=prefecture_id, **totals)
            row.derive_rates()
            row.save()
