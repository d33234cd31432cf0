"""Seed: the 資料2 table (R4.4時点 → 令和3年度 第4四半期, R5.4時点 → 令和4年度 第4四半期)."""

import csv

from django.conf import settings

from council.framework.registry import SeedSection
from council.models import Municipality
from online_procedures.models import OnlineProcedureStatus

FIXTURES = settings.BASE_DIR / "fixtures" / "online_procedures"
COLUMNS = {"R4.4時点": (2021, 4), "R5.4時点": (2022, 4)}


def online_seed_sections():
    codes = dict(Municipality.objects.values_list("name", "code"))
    with open(FIXTURES / "mynaportal_counts.tsv", encoding="utf-8") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            for column, (fiscal_year, quarter) in COLUMNS.items():
                count = int(row[column].removesuffix("手続"))
                yield SeedSection(
                    codes[row["市町名"]],
                    fiscal_year,
                    quarter,
                    "online_procedures",
                    {"available_count": count},
                )


def synthetic_online(reports) -> None:
    OnlineProcedureStatus.objects.bulk_create(
        OnlineProcedureStatus(report=r, available_count=(7 * i) % 28) for i, r in enumerate(reports)
    )
