"""Demo accounts for trying the portal: password `demo`, address `<username>@example.jp` (example.jp
is reserved for examples: no mail to it reaches anyone). Refused unless DEBUG is on."""

from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from council.models import Municipality, Profile, ReportingPeriod, Role
from council.models.period import quarter_bounds
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
            period = open_current_period(timezone.localdate())
        self.stdout.write(
            self.style.SUCCESS(
                f"デモ用アカウント {len(names)} 件（パスワード: {DEMO_PASSWORD}）: {', '.join(names)}"
            )
        )
        self.stdout.write(
            f"受付中の報告期間: {period.label}（提出期限 {period.submission_deadline:%Y-%m-%d}）"
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


def open_current_period(today: date) -> ReportingPeriod:
    """The demo takes reports for the quarter `today` falls in, due at the end of the month after it
    (a deadline still ahead), and stops taking them for periods whose deadline has passed: the first
    screen on the day `make run` starts shows a period being reported, not years of overdue ones."""
    fiscal_year = today.year if today.month >= 4 else today.year - 1
    quarter = (today.month - 4) % 12 // 3 + 1
    _, end = quarter_bounds(fiscal_year, quarter)
    next_month = end + timedelta(days=1)
    deadline = (next_month.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    for stale in ReportingPeriod.objects.filter(accepting_reports=True, submission_deadline__lt=today):
        stale.accepting_reports = False
        stale.save(update_fields=["accepting_reports"])
    period = ReportingPeriod.objects.filter(fiscal_year=fiscal_year, quarter=quarter).first()
    if period is None:
        period = ReportingPeriod(fiscal_year=fiscal_year, quarter=quarter, as_of=end)
    period.submission_deadline = max(period.submission_deadline or deadline, deadline)
    period.accepting_reports = True
    period.full_clean()
    period.save()
    return period
