"""Load the seed data: organisations, reporting periods, and the 2023-05-11 meeting's tables as
approved reports. Safe to run again: what exists is left as it is."""

import csv
from pathlib import Path

from django.conf import settings
from django.core.management import BaseCommand, call_command
from django.db import transaction

from council import registry, services
from council.models import Municipality, ReportingPeriod, StatusReport
from council.notation import parse_headcount, parse_policy

FIXTURES = Path(settings.BASE_DIR) / "fixtures" / "council"


def dx_row_to_data(row: dict) -> dict:
    policy, planned = parse_policy(row["全体方針の策定"])
    has_talent, talent = parse_headcount(row["外部人材確保(CIO補佐官等)"])
    has_hires, hires = parse_headcount(row["情報職の採用"])
    return {
        "department": row["担当所属"],
        "policy": policy,
        "policy_planned_fiscal_year": planned,
        "promotion_body": row["全庁的なDX推進体制"],
        "has_external_talent": has_talent,
        "external_talent_count": talent,
        "has_it_hires": has_hires,
        "it_hires_count": hires,
    }


def seed_approved_section(*, municipality, period, section_key: str, data: dict) -> bool:
    """Create `municipality`'s report for `period` with one section and approve it, as the system.
    Returns False (and changes nothing) when that report already has the section."""
    section = registry.sections.get(section_key)
    report = StatusReport.objects.filter(municipality=municipality, period=period).first()
    if report is not None and section.instance_for(report) is not None:
        return False
    report = report or services.report_start(municipality=municipality, period=period, user=None)
    services.section_save(report=report, section=section, data=data, expected_version=0, user=None)
    if report.status != "approved":
        services.report_submit(report=report, user=None)
        services.report_approve(report=report, user=None)
    return True


class Command(BaseCommand):
    help = "シードデータ（団体・報告期間・令和5年5月11日会議資料の表）を読み込みます。"

    def handle(self, *args, **options):
        call_command("loaddata", FIXTURES / "municipalities.json", FIXTURES / "periods.json", verbosity=0)
        with transaction.atomic():
            created = self.seed_dx()
        if options["verbosity"] == 0:
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"団体 {Municipality.objects.count()} 件、報告期間 {ReportingPeriod.objects.count()} 件、"
                f"DX推進体制の承認済み報告 {created} 件を追加しました。"
            )
        )

    def seed_dx(self) -> int:
        period = ReportingPeriod.objects.get(fiscal_year=2022, quarter=4)
        by_name = {m.name: m for m in Municipality.objects.filter(prefecture__code="350001")}
        created = 0
        with open(FIXTURES / "dx_structure_2022-Q4.csv", encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                created += seed_approved_section(
                    municipality=by_name[row["市町名"]],
                    period=period,
                    section_key="dx-structure",
                    data=dx_row_to_data(row),
                )
        return created
