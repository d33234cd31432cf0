"""Demo accounts for trying the portal: password `demo`, address `<username>@example.jp` (example.jp
is reserved for examples: no mail to it reaches anyone). Refused unless DEBUG is on."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import BaseCommand, CommandError
from django.db import transaction

from council.models import Municipality, Profile, Role
from council.roles import ensure_staff_group

DEMO_PASSWORD = "demo"
DEMO_MAIL_DOMAIN = "example.jp"


class Command(BaseCommand):
    help = "デモ用アカウント（パスワード demo）を作成します。DEBUG が有効なときだけ実行できます。"

    def add_arguments(self, parser):
        parser.add_argument("--prefecture", default="350001", help="団体コード（既定: 山口県 350001）")

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError(
                "デモ用アカウントは DEBUG が有効な開発環境でのみ作成できます（本番環境では作成しません）。"
            )
        try:
            prefecture = Municipality.objects.get(
                code=options["prefecture"], kind=Municipality.Kind.PREFECTURE
            )
        except Municipality.DoesNotExist:
            raise CommandError(
                "都道府県が見つかりません。先に `python manage.py seed` を実行してください。"
            ) from None
        with transaction.atomic():
            names = self.create_all(prefecture)
        self.stdout.write(
            self.style.SUCCESS(
                f"デモ用アカウント {len(names)} 件（パスワード: {DEMO_PASSWORD}）: {', '.join(names)}"
            )
        )

    def create_all(self, prefecture: Municipality) -> list[str]:
        group = ensure_staff_group()
        accounts = [
            ("prefecture", "県 デジタル推進局", Role.STAFF, prefecture),
            ("council", "会議構成員", Role.MEMBER, prefecture),
        ]
        accounts += [
            (f"liaison-{m.slug}", f"{m.name} 連絡担当", Role.LIAISON, m)
            for m in prefecture.municipalities.order_by("display_order", "code")
        ]
        # the prefecture reviews its own provisions too (資料4): its own liaison files that section
        accounts.append(
            (
                f"liaison-{prefecture.slug}",
                f"{prefecture.name} 連絡担当（県自身の報告）",
                Role.LIAISON,
                prefecture,
            )
        )
        for username, last_name, role, organisation in accounts:
            user, _ = get_user_model().objects.get_or_create(username=username)
            user.last_name = last_name
            user.email = f"{username}@{DEMO_MAIL_DOMAIN}"
            user.is_staff = role == Role.STAFF
            user.set_password(DEMO_PASSWORD)
            user.save()
            Profile.objects.update_or_create(user=user, defaults={"role": role, "organisation": organisation})
            if role == Role.STAFF:
                user.groups.add(group)
        return [a[0] for a in accounts]
