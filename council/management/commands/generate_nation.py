"""`python manage.py generate_nation --municipalities 1741 --quarters 8 --seed 1`

A deterministic synthetic nation for scale tests and benchmarks: 47 prefectures, the given number
of municipalities spread over them, reporting periods for the last N quarters, and for every
municipality and quarter an approved report whose sections every agenda app fills in (through the
seed registry's `synthetic` hooks). Runs on SQLite or PostgreSQL. Run again with more quarters
(`--quarters 40` after `--quarters 8`), it adds the older quarters' reports (ten years of data);
otherwise it refuses to run twice.
"""

import random

from django.core.management import BaseCommand, CommandError
from django.db import transaction

from council.framework import registry
from council.models import Municipality, ReportingPeriod, ReportStatus, StatusReport, quarter_bounds
from council.synthetic import synthetic_code

PREFECTURES = [
    "北海道",
    "青森県",
    "岩手県",
    "宮城県",
    "秋田県",
    "山形県",
    "福島県",
    "茨城県",
    "栃木県",
    "群馬県",
    "埼玉県",
    "千葉県",
    "東京都",
    "神奈川県",
    "新潟県",
    "富山県",
    "石川県",
    "福井県",
    "山梨県",
    "長野県",
    "岐阜県",
    "静岡県",
    "愛知県",
    "三重県",
    "滋賀県",
    "京都府",
    "大阪府",
    "兵庫県",
    "奈良県",
    "和歌山県",
    "鳥取県",
    "島根県",
    "岡山県",
    "広島県",
    "山口県",
    "徳島県",
    "香川県",
    "愛媛県",
    "高知県",
    "福岡県",
    "佐賀県",
    "長崎県",
    "熊本県",
    "大分県",
    "宮崎県",
    "鹿児島県",
    "沖縄県",
]


class Command(BaseCommand):
    help = "規模の検証用に、全国の架空データ（47都道府県・市区町村・四半期ごとの承認済み報告）を作ります。"

    def add_arguments(self, parser):
        parser.add_argument("--municipalities", type=int, default=1741)
        parser.add_argument("--quarters", type=int, default=8)
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args, municipalities, quarters, seed, **options):
        if Municipality.objects.filter(slug__startswith="nation-").exists():
            return self.add_quarters(quarters)
        rng = random.Random(seed)
        periods = self.periods(quarters)
        with transaction.atomic():
            prefectures = self.prefectures()
            existing = Municipality.objects.reporting().count()
            to_add = max(0, municipalities - existing)
            weights = [rng.randint(10, 60) for _ in prefectures]
            shares = [to_add * w // sum(weights) for w in weights]
            shares[0] += to_add - sum(shares)
            created = 0
            for index, (prefecture, share) in enumerate(zip(prefectures, shares, strict=True), start=1):
                towns = self.municipalities(prefecture, share)
                created += len(towns)
                self.reports(towns, periods)
                self.progress(index, len(prefectures), prefecture.name)
            # the municipalities that existed already (the seed) get reports for the other quarters
            self.reports(list(Municipality.objects.reporting().exclude(slug__startswith="nation-")), periods)
        self.stderr.write("")
        self.stdout.write(
            self.style.SUCCESS(
                f"都道府県 {Municipality.objects.filter(kind='prefecture').count()}、市区町村 {Municipality.objects.reporting().count()}、"
                f"報告期間 {len(periods)}、報告 {StatusReport.objects.count()} 件になりました（追加した市区町村 {created}）。"
            )
        )

    def add_quarters(self, quarters: int) -> None:
        """An existing nation with fewer quarters of reports than asked for: the older quarters are
        added for every reporting organisation (`--quarters 40` after `--quarters 8`: ten years of
        data, the benchmark's and the tests' second size). Anything else is refused."""
        periods = self.periods(quarters, create=False)
        towns = list(Municipality.objects.reporting())
        have = set(
            StatusReport.objects.filter(municipality__slug__startswith="nation-").values_list(
                "period_id", flat=True
            )
        )
        if all(period.pk and period.pk in have for period in periods):
            raise CommandError("架空の全国データは既に作成されています。")
        with transaction.atomic():
            periods = self.periods(quarters)
            self.reports(towns, periods)
        self.stdout.write(
            self.style.SUCCESS(
                f"報告期間 {len(periods)}、報告 {StatusReport.objects.count()} 件になりました（古い四半期を追加しました）。"
            )
        )

    @staticmethod
    def periods(quarters: int, create: bool = True) -> list[ReportingPeriod]:
        latest = ReportingPeriod.objects.order_by("fiscal_year", "quarter").last()
        fy, q = (latest.fiscal_year, latest.quarter) if latest else (2023, 1)
        keys = []
        for _ in range(quarters):
            keys.append((fy, q))
            fy, q = (fy, q - 1) if q > 1 else (fy - 1, 4)
        result = []
        for fiscal_year, quarter in reversed(keys):
            if not create:
                found = ReportingPeriod.objects.filter(fiscal_year=fiscal_year, quarter=quarter).first()
                result.append(found or ReportingPeriod(fiscal_year=fiscal_year, quarter=quarter))
                continue
            period, _ = ReportingPeriod.objects.get_or_create(
                fiscal_year=fiscal_year,
                quarter=quarter,
                defaults={"as_of": quarter_bounds(fiscal_year, quarter)[1]},
            )
            result.append(period)
        return result

    @staticmethod
    def prefectures() -> list[Municipality]:
        result = []
        for number, name in enumerate(PREFECTURES, start=1):
            code = synthetic_code(number, 0)
            prefecture = Municipality.objects.filter(code=code).first()
            if prefecture is None:
                prefecture = Municipality.objects.create(
                    code=code,
                    name=name,
                    slug=f"nation-pref-{number:02d}",
                    kind=Municipality.Kind.PREFECTURE,
                    display_order=number * 1000,
                )
            result.append(prefecture)
        return result

    @staticmethod
    def municipalities(prefecture: Municipality, count: int) -> list[Municipality]:
        number = int(prefecture.code[:2])
        taken = set(
            Municipality.objects.filter(code__startswith=prefecture.code[:2]).values_list("code", flat=True)
        )
        towns, local = [], 100
        while len(towns) < count:
            local += 1
            code = synthetic_code(number, local)
            if code in taken:
                continue
            kind = Municipality.Kind.CITY if local % 3 else Municipality.Kind.TOWN
            towns.append(
                Municipality(
                    code=code,
                    name=f"{prefecture.name[:-1] if prefecture.name != '北海道' else '北海'}第{local - 100}{'市' if kind == 'city' else '町'}",
                    slug=f"nation-{code}",
                    kind=kind,
                    prefecture=prefecture,
                    display_order=number * 1000 + local,
                )
            )
        return Municipality.objects.bulk_create(towns, batch_size=500)

    @staticmethod
    def reports(municipalities: list[Municipality], periods: list[ReportingPeriod]) -> None:
        existing = set(
            StatusReport.objects.filter(municipality__in=municipalities, period__in=periods).values_list(
                "municipality_id", "period_id"
            )
        )
        for period in periods:
            reports = StatusReport.objects.bulk_create(
                [
                    StatusReport(municipality=m, period=period, status=ReportStatus.APPROVED)
                    for m in municipalities
                    if (m.pk, period.pk) not in existing
                ],
                batch_size=1000,
            )
            for spec in registry.seeds.all():
                if spec.synthetic and reports:
                    spec.synthetic(reports)

    def progress(self, done: int, total: int, label: str) -> None:
        width = 30
        filled = width * done // total
        self.stderr.write(f"\r[{'#' * filled}{' ' * (width - filled)}] {done}/{total} {label}   ", ending="")
        self.stderr.flush()
