"""`python manage.py backup <file.json.gz>`: every table of the portal, history included, as one
compressed JSON file, losslessly (the same ids, timestamps to the microsecond, where each id sequence
stands); the same on SQLite and PostgreSQL. Restore with `restore`. See council/backup.py."""

from django.core.management import BaseCommand, CommandError

from council.backup import BackupError, backup


class Command(BaseCommand):
    help = "ポータルの全データ（変更履歴を含む）を gzip 圧縮の JSON に書き出します。"

    def add_arguments(self, parser):
        parser.add_argument("output", help="出力先（例: backup-2026-11-25.json.gz）")

    def handle(self, *args, output, **options):
        try:
            count = backup(output)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"{output} にバックアップしました（{count} 行）。"))
