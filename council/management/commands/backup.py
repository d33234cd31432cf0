"""`python manage.py backup <file.json.gz>`: every table of the portal, history included, as one
compressed JSON file; the same on SQLite and PostgreSQL. Restore with `restore`."""

import gzip

from django.core.management import BaseCommand, call_command

EXCLUDED = ["contenttypes", "auth.permission", "sessions", "axes", "council.ImportStash"]  # transient


class Command(BaseCommand):
    help = "ポータルの全データ（変更履歴を含む）を gzip 圧縮の JSON に書き出します。"

    def add_arguments(self, parser):
        parser.add_argument("output", help="出力先（例: backup-2026-11-25.json.gz）")

    def handle(self, *args, output, **options):
        with gzip.open(output, "wt", encoding="utf-8") as fh:
            call_command(
                "dumpdata",
                natural_foreign=True,
                natural_primary=True,
                exclude=EXCLUDED,
                indent=None,
                stdout=fh,
                verbosity=0,
            )
        self.stdout.write(self.style.SUCCESS(f"{output} にバックアップしました。"))
