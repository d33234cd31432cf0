"""`python manage.py restore <file.json.gz>`: load a backup into an empty, migrated database, in
one transaction (all or nothing)."""

import gzip
import shutil
import tempfile
from pathlib import Path

from django.core.management import BaseCommand, CommandError, call_command
from django.db import transaction

from council.models import Municipality


class Command(BaseCommand):
    help = "backup で書き出したファイルを、空の（マイグレーション済みの）データベースに読み込みます。"

    def add_arguments(self, parser):
        parser.add_argument("input")
        parser.add_argument("--force", action="store_true", help="データがあっても読み込む（同じ行は上書き）")

    def handle(self, *args, input, force=False, **options):
        if not Path(input).exists():
            raise CommandError(f"{input} がありません。")
        if Municipality.objects.exists() and not force:
            raise CommandError(
                "データベースが空ではありません。空のデータベースに読み込むか、--force を指定してください。"
            )
        with tempfile.TemporaryDirectory() as tmp:
            plain = Path(tmp) / "backup.json"
            try:
                with gzip.open(input, "rb") as src, open(plain, "wb") as dst:
                    shutil.copyfileobj(src, dst)
            except OSError:
                raise CommandError(f"{input} は backup で作った gzip ファイルではありません。") from None
            with transaction.atomic():
                call_command("loaddata", str(plain), verbosity=0)
        self.stdout.write(self.style.SUCCESS(f"{input} から復元しました。"))
