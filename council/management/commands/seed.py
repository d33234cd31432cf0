"""Load the seed data: organisations, reporting periods, each app's master data, and the tables of
the 2023-05-11 meeting as approved reports. Safe to run again: what exists is left as it is."""

from django.core.management import BaseCommand, call_command
from django.db import transaction

from council.framework import registry
from council.framework.seeding import record_initial_history, seed_all_sections
from council.models import Municipality, ReportingPeriod


class Command(BaseCommand):
    help = "シードデータ（団体・報告期間・各議題のマスタ・令和5年5月11日会議資料の表）を読み込みます。"

    def handle(self, *args, **options):
        fixtures = [path for spec in registry.seeds.all() for path in spec.fixtures]
        with transaction.atomic():
            call_command("loaddata", *fixtures, verbosity=0)
            record_initial_history()
            written = seed_all_sections()
            loaded = sum(spec.load() for spec in registry.seeds.all() if spec.load)
        if options["verbosity"] == 0:
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"団体 {Municipality.objects.count()} 件、報告期間 {ReportingPeriod.objects.count()} 件。"
                f"承認済み報告に {written} 項目、統計に {loaded} 行を追加しました。"
            )
        )
