"""Seed: the five shared scenarios of 令和4年度 with exactly the participants of 資料3, the 令和5年度
plan, and the licence/maintenance decision still under consideration."""

import csv
from datetime import date
from decimal import Decimal

from django.conf import settings

from council.models import Municipality
from rpa.models import Contract, Participation, RpaUsage, Scenario, ScenarioUsage, YearPlan

FIXTURES = settings.BASE_DIR / "fixtures" / "rpa"


def load_rpa_seed() -> int:
    if Scenario.objects.exists():
        return 0
    by_name = {m.name: m for m in Municipality.objects.all()}
    created = 0
    with open(FIXTURES / "scenarios_2022.tsv", encoding="utf-8") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            scenario = Scenario.objects.create(
                name=row["業務"],
                number=int(row["番号"]),
                fiscal_year=2022,
                maintainer="県（RPA等共同利用事業）",
                status=Scenario.Status.OPERATING,
            )
            for order, name in enumerate(row["利用団体"].split("・"), start=1):
                Participation.objects.create(
                    scenario=scenario, municipality=by_name[name], since_fiscal_year=2022, order=order
                )
                created += 1
    YearPlan.objects.get_or_create(
        fiscal_year=2022,
        defaults={"planned_scenarios": 5, "focus": "5業務についてRPAシナリオ作成・業務での運用"},
    )
    YearPlan.objects.get_or_create(
        fiscal_year=2023,
        defaults={
            "planned_scenarios": 5,
            "planned_approximate": True,  # 「5業務程度」
            "focus": "昨年度同様、5業務程度でシナリオ作成を行い、オンライン申請データの基幹システムへの入力作業"
            "（マイナポータルによるオンライン申請受付の後続事務処理）など、引き続きマイナンバー系業務についてRPA導入を推進。",
            "project_ends": True,
        },
    )
    for kind, description in (
        (Contract.Kind.LICENCE, "RPAライセンス（令和6年度以降）"),
        (Contract.Kind.MAINTENANCE, "作成シナリオの保守（令和6年度以降）"),
    ):
        Contract.objects.get_or_create(
            kind=kind,
            description=description,
            defaults={
                "start": date(2024, 4, 1),
                "note": "事業終了年度（令和5年度）にワーキンググループを通じて検討",
            },
        )
    return created


def synthetic_rpa(reports) -> None:
    scenarios = list(Scenario.objects.all())
    if not scenarios:
        return
    usages = RpaUsage.objects.bulk_create(RpaUsage(report=r) for r in reports)
    ScenarioUsage.objects.bulk_create(
        ScenarioUsage(
            usage=u, scenario=scenarios[i % len(scenarios)], runs=10 + i % 50, hours_saved=Decimal(i % 40) / 2
        )
        for i, u in enumerate(usages)
    )
