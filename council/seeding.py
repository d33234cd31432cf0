"""Seed reports: the council materials' tables filed as approved reports by the system."""

from __future__ import annotations

import csv
from collections import defaultdict

from django.conf import settings

from council import registry, services
from council.models import Municipality, ReportingPeriod, ReportStatus, StatusReport
from council.notation import parse_headcount, parse_policy
from council.registry import SeedSection

SEED_COMMENT = "シードデータ（会議資料）の追加"


def seed_report(*, municipality: Municipality, period: ReportingPeriod, sections: dict[str, dict]) -> int:
    """File `sections` (section key → data) as `municipality`'s approved report for `period`.

    A report that already exists keeps the sections it has (the seed is safe to run again); a section
    it lacks is added by reopening, saving and approving it again, all recorded as the system's.
    Returns how many sections were written.
    """
    report = StatusReport.objects.filter(municipality=municipality, period=period).first()
    created = report is None
    if created:
        report = services.report_start(municipality=municipality, period=period, user=None)
    specs = {key: registry.sections.get(key) for key in sections}
    to_write = {key: spec for key, spec in specs.items() if created or spec.instance_for(report) is None}
    if not to_write:
        return 0
    if report.status == ReportStatus.APPROVED:
        services.report_reopen(report=report, user=None, comment=SEED_COMMENT)
    elif report.status == ReportStatus.SUBMITTED:
        services.report_return(report=report, user=None, comment=SEED_COMMENT)
    for key, spec in to_write.items():
        current = spec.instance_for(report)  # carried forward from the previous period, if any
        services.section_save(
            report=report,
            section=spec,
            data=sections[key],
            expected_version=current.version if current else 0,
            user=None,
        )
    services.report_submit(report=report, user=None)
    services.report_approve(report=report, user=None)
    return len(to_write)


def seed_all_sections() -> int:
    """Every registered seed section, grouped into one report per organisation and period, oldest
    period first so that each report is pre-filled from the one before."""
    grouped: dict[tuple[str, int, int], dict[str, dict]] = defaultdict(dict)
    for spec in registry.seeds.all():
        for row in spec.sections() if spec.sections else ():
            grouped[(row.municipality_code, row.fiscal_year, row.quarter)][row.section_key] = row.data
    municipalities = Municipality.objects.in_bulk([code for code, _, _ in grouped], field_name="code")
    periods = {(p.fiscal_year, p.quarter): p for p in ReportingPeriod.objects.all()}
    written = 0
    for code, fiscal_year, quarter in sorted(grouped, key=lambda k: (k[1], k[2], k[0])):
        written += seed_report(
            municipality=municipalities[code],
            period=periods[(fiscal_year, quarter)],
            sections=grouped[(code, fiscal_year, quarter)],
        )
    return written


# --- 資料7 --------------------------------------------------------------------------------


def dx_seed_sections():
    """資料7 of the 2023-05-11 meeting (fixtures/council/dx_structure_2022-Q4.csv, in the materials'
    own notation) as seed sections of 令和4年度 第4四半期."""
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
                "dx-structure",
                {
                    "department": row["担当所属"],
                    "policy": policy,
                    "policy_planned_fiscal_year": planned,
                    "promotion_body": row["全庁的なDX推進体制"],
                    "has_external_talent": has_talent,
                    "external_talent_count": talent,
                    "has_it_hires": has_hires,
                    "it_hires_count": hires,
                },
            )
