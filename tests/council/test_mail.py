"""The outbox (`council.mail`): mail is recorded with the change that causes it, sent after the
commit over a real SMTP server, kept with its error when the server is down, retried once it is up,
and never sent twice."""

import smtplib
from datetime import timedelta

import pytest
from django.core import mail as django_mail
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from council.mail import deliver, retry_failed, send_pending
from council.models import OutboxMail
from tests.conftest import point_mail_at
from tests.mail_server import MailServer, free_port

pytestmark = pytest.mark.django_db


def waiting(subject: str, **fields) -> OutboxMail:
    """A mail in the outbox, due now unless told."""
    defaults = {
        "kind": "test",
        "recipients": ["a@example.jp"],
        "body": "本文",
        "next_attempt_at": timezone.now(),
    }
    return OutboxMail.objects.create(subject=subject, **(defaults | fields))


# backends standing for a server that refuses ------------------------------------------------------


class RefusingBackend(LocmemBackend):
    def send_messages(self, messages):
        raise smtplib.SMTPRecipientsRefused({"a@example.jp": (550, b"recipient refused")})


class PickyBackend(LocmemBackend):
    def send_messages(self, messages):
        if any(m.subject == "拒否される" for m in messages):
            raise smtplib.SMTPDataError(554, b"rejected")
        return super().send_messages(messages)


class ReentrantBackend(LocmemBackend):
    """While sending, another sender flushes the outbox too."""

    inner: list[int] = []

    def send_messages(self, messages):
        if not self.inner:
            self.inner.append(-1)
            self.inner[0] = send_pending().sent
        return super().send_messages(messages)


def test_a_mail_arrives_at_a_real_smtp_server(mail_server, django_capture_on_commit_callbacks, settings):
    settings.DEFAULT_FROM_EMAIL = "連携会議ポータル <noreply@portal.example.lg.jp>"
    with django_capture_on_commit_callbacks(execute=True):
        deliver(
            to=["liaison-hagi@example.jp"],
            subject="【差戻し】萩市 令和5年度 第1四半期の状況報告",
            body="差戻しコメント:\n外部人材の人数を確認してください。\nhttps://portal.example.lg.jp/reports/1/",
            kind="report_returned",
        )
    [received] = mail_server.received
    assert received.recipients == ["liaison-hagi@example.jp"]
    assert received.sender == "noreply@portal.example.lg.jp"
    assert received.subject == "【差戻し】萩市 令和5年度 第1四半期の状況報告"
    assert "外部人材の人数を確認してください。" in received.text
    assert "https://portal.example.lg.jp/reports/1/" in received.text
    mail = OutboxMail.objects.get()
    assert mail.sent_at is not None and mail.attempts == 1 and mail.last_error == ""
    assert mail.body == ""  # the text is not kept once sent


def test_nothing_is_sent_before_the_transaction_commits_or_when_it_rolls_back(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        deliver(to=["a@example.jp"], subject="一通目", body="本文", kind="test")
        deliver(to=["b@example.jp"], subject="二通目", body="本文", kind="test")
    assert django_mail.outbox == []
    assert len(callbacks) == 1  # one send for the transaction's mails, not one per mail
    callbacks[0]()
    assert sorted(m.subject for m in django_mail.outbox) == ["一通目", "二通目"]

    class Undone(Exception):
        pass

    with pytest.raises(Undone), transaction.atomic():
        deliver(to=["c@example.jp"], subject="取り消される", body="本文", kind="test")
        raise Undone
    assert not OutboxMail.objects.filter(subject="取り消される").exists()


def test_no_address_no_mail(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        deliver(to=["", ""], subject="宛先なし", body="本文", kind="test")
    assert not OutboxMail.objects.exists() and django_mail.outbox == []


def test_server_down_the_mail_is_kept_with_its_error_and_a_later_retry_sends_it_once(
    settings, django_capture_on_commit_callbacks
):
    port = free_port()
    point_mail_at(settings, f"smtp://127.0.0.1:{port}")  # nothing listens there yet
    with django_capture_on_commit_callbacks(execute=True):
        deliver(
            to=["liaison-hagi@example.jp"],
            subject="【承認】萩市",
            body="承認されました。",
            kind="report_approved",
        )
    mail = OutboxMail.objects.get()
    assert mail.sent_at is None and mail.attempts == 1
    assert "ConnectionRefusedError" in mail.last_error
    assert mail.body == "承認されました。"
    assert mail.next_attempt_at > timezone.now() + timedelta(minutes=4)  # not hammered
    assert mail.status_label == "再送待ち"

    server = MailServer(port).start()
    try:
        assert send_pending().sent == 0  # not due yet
        later = timezone.now() + timedelta(minutes=6)
        assert send_pending(now=later).sent == 1
        assert send_pending(now=later + timedelta(hours=1)).sent == 0
        [received] = server.received
        assert received.subject == "【承認】萩市" and "承認されました。" in received.text
    finally:
        server.stop()
    mail.refresh_from_db()
    assert mail.sent_at is not None and mail.attempts == 2 and mail.status_label == "送信済"


def test_a_retry_comes_with_the_next_mail(mail_server, settings, django_capture_on_commit_callbacks):
    """A mail that failed earlier goes out with the next action that sends mail, once its retry is due."""
    waiting(
        "前に失敗した",
        attempts=1,
        last_error="ConnectionRefusedError",
        next_attempt_at=timezone.now() - timedelta(seconds=1),
    )
    with django_capture_on_commit_callbacks(execute=True):
        deliver(to=["b@example.jp"], subject="新しい", body="本文", kind="test")
    assert sorted(r.subject for r in mail_server.received) == ["前に失敗した", "新しい"]
    assert not OutboxMail.objects.filter(sent_at__isnull=True).exists()


def test_retries_back_off_and_stop_after_the_limit(settings, django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = "tests.council.test_mail.RefusingBackend"
    settings.OUTBOX_MAX_ATTEMPTS = 4
    with django_capture_on_commit_callbacks(execute=True):
        deliver(to=["a@example.jp"], subject="届かない", body="本文", kind="test")
    mail = OutboxMail.objects.get()
    delays = []
    now = timezone.now()
    while mail.next_attempt_at is not None:
        delays.append(mail.next_attempt_at - now)
        now = mail.next_attempt_at
        send_pending(now=now)
        mail.refresh_from_db()
    assert delays[0] <= timedelta(minutes=5) and delays[1:] == [timedelta(minutes=10), timedelta(minutes=20)]
    assert mail.attempts == 4 and mail.status_label == "送信失敗（再送停止）"
    assert "recipient refused" in mail.last_error
    assert send_pending(now=now + timedelta(days=1)).failed == 0  # given up: not tried any more

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert retry_failed() == 1
    assert send_pending().sent == 1
    assert [m.subject for m in django_mail.outbox] == ["届かない"]


def test_two_senders_at_once_send_a_mail_once(settings):
    """A mail claimed by one sender (its next attempt moved on) is not due for another."""
    waiting("一度だけ")
    settings.EMAIL_BACKEND = "tests.council.test_mail.ReentrantBackend"
    ReentrantBackend.inner = []
    assert send_pending().sent == 1
    assert ReentrantBackend.inner == [0]  # the second sender, started mid-send, found nothing due
    assert [m.subject for m in django_mail.outbox] == ["一度だけ"]


def test_one_bad_mail_does_not_stop_the_others(settings):
    settings.EMAIL_BACKEND = "tests.council.test_mail.PickyBackend"
    for subject in ("一通目", "拒否される", "三通目"):
        waiting(subject)
    result = send_pending()
    assert (result.sent, result.failed) == (2, 1)
    assert OutboxMail.objects.get(subject="拒否される").last_error.startswith("SMTPDataError")


def test_a_long_or_multi_line_subject_is_one_header_line(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        deliver(to=["a@example.jp"], subject="一行目\n二行目" + "あ" * 400, body="本文", kind="test")
    [sent] = django_mail.outbox
    assert "\n" not in sent.subject and sent.subject.startswith("一行目 二行目")


def test_the_organisation_of_the_addressee_scopes_the_mail(hagi, liaison, django_capture_on_commit_callbacks):
    liaison.email = "liaison-hagi@example.jp"
    liaison.save()
    with django_capture_on_commit_callbacks(execute=True):
        deliver(to=[liaison.email], subject="件名", body="本文", kind="test")
        deliver(to=["someone@example.jp"], subject="件名", body="本文", kind="test")
    assert list(OutboxMail.objects.order_by("pk").values_list("organisation", flat=True)) == [hagi.pk, None]


@pytest.mark.django_db(transaction=True)
def test_workflow_mail_goes_over_smtp_after_the_commit_and_a_server_down_costs_no_action(
    client, seeded, hagi
):
    """As in production: each request commits, then mails. The server goes down between the
    submit and the return; the return succeeds all the same and its mail is sent once it is back."""
    from django.test import override_settings

    from council.models import ReportingPeriod, Role, StatusReport
    from tests.factories import UserFactory

    staff = UserFactory(
        username="prefecture", email="prefecture@example.jp", role=Role.STAFF, organisation=seeded
    )
    liaison = UserFactory(
        username="liaison-hagi", email="liaison-hagi@example.jp", role=Role.LIAISON, organisation=hagi
    )
    q1 = ReportingPeriod.objects.get(fiscal_year=2023, quarter=1)
    server = MailServer().start()
    mail_settings = {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
    }
    with override_settings(
        **mail_settings, EMAIL_PORT=server.port, PORTAL_BASE_URL="https://portal.example.lg.jp"
    ):
        try:
            client.force_login(liaison)
            client.post(reverse("reports:start", args=[q1.slug]))
            report = StatusReport.objects.get(municipality=hagi, period=q1)
            assert client.post(reverse("reports:submit", args=[report.pk])).status_code == 302
            [submitted] = server.received
            assert submitted.recipients == ["prefecture@example.jp"]
            assert submitted.subject == "【提出】萩市 令和5年度 第1四半期の状況報告"
            assert f"https://portal.example.lg.jp/reports/{report.pk}/" in submitted.text

            server.stop()
            client.force_login(staff)
            response = client.post(
                reverse("reports:return", args=[report.pk]), {"comment": "人数を確認してください。"}
            )
            assert response.status_code == 302
            report.refresh_from_db()
            assert report.status == "returned"
            kept = OutboxMail.objects.get(kind="report_returned")
            assert kept.sent_at is None and "ConnectionRefusedError" in kept.last_error

            server = MailServer(server.port).start()
            later = timezone.now() + timedelta(minutes=6)
            assert send_pending(now=later).sent == 1
            assert send_pending(now=later + timedelta(hours=1)).sent == 0
            [returned] = server.received  # the new server's inbox
            assert returned.recipients == ["liaison-hagi@example.jp"]
            assert "差戻しコメント:\n人数を確認してください。" in returned.text
        finally:
            server.stop()


def test_send_outbox_sends_what_is_due_and_says_what_failed(settings):
    from io import StringIO

    from django.core.management import CommandError, call_command

    waiting("待っていた")
    out = StringIO()
    call_command("send_outbox", stdout=out)
    assert "送信 1件、失敗 0件。未送信 0件" in out.getvalue()
    assert [m.subject for m in django_mail.outbox] == ["待っていた"]

    settings.EMAIL_BACKEND = "tests.council.test_mail.RefusingBackend"
    waiting("届かない", next_attempt_at=None, attempts=10)
    with pytest.raises(CommandError):
        call_command("send_outbox", "--retry-failed", stdout=out)
    assert "再送を止めていたメール 1件" in out.getvalue()
    assert OutboxMail.objects.get(subject="届かない").attempts == 1


def test_a_long_outbox_goes_in_batches_and_stops_when_the_server_is_unreachable(settings, monkeypatch):
    from council import mail as outbox

    monkeypatch.setattr(outbox, "BATCH", 3)
    for n in range(7):
        waiting(f"{n}")
    assert send_pending(limit=5).sent == 5
    assert send_pending().sent == 2
    assert len(django_mail.outbox) == 7

    for n in range(7):
        waiting(f"{n}")
    point_mail_at(settings, f"smtp://127.0.0.1:{free_port()}")
    result = send_pending()
    assert (result.sent, result.failed) == (0, 3)  # one batch failed to connect: the rest were not tried
    assert OutboxMail.objects.filter(sent_at__isnull=True, attempts=0).count() == 4
