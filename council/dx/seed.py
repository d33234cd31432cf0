"""資料7 seed: the materials' table as sections of approved reports; synthetic sections for benchmarks."""

from __future__ import annotations

import csv

from django.conf import settings

from council.dx.models import DXStructure
from council.dx.notation import parse_headcount, parse_policy
from council.framework.registry import SeedSection
from council.models import Municipality, StatusReport


def dx_seed_sections():
    """資料7 of the 2023-05-11 meeting (fixtures/council/dx_structure_2022-Q4.csv, in the materials'
    own notation) as seed sections of 令和4年度 第4四半期. The last column, 全庁的な推進体制か, is
    ours: whether the 全庁的なDX推進体制 named is a cross-departmental body (○) or not (阿武町 names
    its 総務課, the department in charge)."""
    codes = dict(Municipality.objects.values_list("name", "code"))
    path = settings.BASE_DIR / "fixtures" / "council" / "dx_structure_2022-Q4.csv"
    with open(path, encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            policy, planned = parse_policy(row["全体方針の策定"])
            has_talent, talent = parse_headcount(row["外部人材確保(CIO補佐官等)"])
            has_hires, hires = parse_headcount(row["情報職の採用"])
            yield SeedSection(
                codes[row["市町名"]],
                2022,
                4,
                "dx",
                {
                    "department": row["担当所属"],
                    "policy": policy,
                    "policy_planned_fiscal_year": planned,
                    "has_promotion_body": row["全庁的な推進体制か"] == "○",
                    "promotion_body": row["全庁的なDX推進体制"],
                    "has_external_talent": has_talent,
                    "external_talent_count": talent,
                    "has_it_hires": has_hires,
                    "it_hires_count": hires,
                },
            )


def synthetic_dx(reports: list[StatusReport]) -> None:
    DXStructure.objects.bulk_create(
        DXStructure(
            report=report,
            department="総務課",
            policy=DXStructure.Policy.ESTABLISHED if i % 4 else DXStructure.Policy.NONE,
            has_promotion_body=bool(i % 3),
            promotion_body="DX推進本部" if i % 3 else "",
            has_external_talent=bool(i % 2),
            external_talent_count=(i % 3 or None) if i % 2 else None,
            has_it_hires=i % 5 == 0,
        )
        for i, report in enumerate(reports)
    )
