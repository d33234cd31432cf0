"""`python manage.py restore <file.json.gz>`: load a backup into an empty, migrated database, in
one transaction (all or nothing), with the same ids; no history is written and the data version
does not move. See council/backup.py."""

from django.core.management import BaseCommand, CommandError

from council.backup import BackupError, restore


class Command(BaseCommand):
    help = "backup で書き出したファイルを、空の（マイグレーション済みの）データベースに読み込みます。"

    def add_arguments(self, parser):
        parser.add_argument("input")
        parser.add_argument(
            "--force",
            action="store_true",
            help="データベースが空でなくても読み込む（今のデータはすべて消え、バックアップの内容に置き換わります）",
        )

    def handle(self, *args, input, force=False, **options):
        try:
            count = restore(input, force=force)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"{input} から復元しました（{count} 行）。"))
