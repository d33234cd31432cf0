"""The one way the portal sends mail: `deliver`, through an outbox.

`deliver` records the mail (`OutboxMail`) in the current transaction, so a change that rolls back
sends nothing, and sends it once that transaction commits. A workflow action never waits for more
than one attempt and never fails on mail: a send that fails is kept with its error and tried again
later, with the next action that sends mail or with `manage.py send_outbox` (and `send_reminders`),
5 minutes after the failure, then 10, 20 … at most 6 hours apart, up to OUTBOX_MAX_ATTEMPTS times.
Before a mail is sent it is claimed (its next attempt moved ten minutes on in one UPDATE), so two
processes flushing the outbox at once never send it twice.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.utils import timezone

from council.models import OutboxMail, Profile

logger = logging.getLogger(__name__)

#: how long a claimed mail is left to the process sending it before another may try it
CLAIM = timedelta(minutes=10)
#: mails claimed and sent over one connection at a time (well within CLAIM)
BATCH = 50


def deliver(*, to: Sequence[str], subject: str, body: str, kind: str) -> None:
    """Mail `body` to the addresses `to` once the current transaction commits. `kind` names what
    the mail is for (e.g. "invitation", "report_submitted", "reminder"), for the outbox and logs."""
    recipients = [address for address in to if address]
    if not recipients:
        return
    organisation_id = (
        Profile.objects.filter(user__email__in=recipients, organisation__isnull=False)
        .values_list("organisation_id", flat=True)
        .first()
    )
    deliver_many([Mail(recipients, subject, body, kind, organisation_id)])


@dataclass(frozen=True)
class Mail:
    """One mail for `deliver_many`; `organisation_id` is the addressee's organisation (who of the
    staff may see it in the admin)."""

    to: Sequence[str]
    subject: str
    body: str
    kind: str
    organisation_id: int | None = None


def deliver_many(mails: Iterable[Mail]) -> int:
    """`deliver` for many mails in one INSERT (a notice to every liaison). Returns how many."""
    now = timezone.now()
    rows = [
        OutboxMail(
            kind=mail.kind,
            recipients=recipients,
            organisation_id=mail.organisation_id,
            subject=" ".join(mail.subject.split())[:300],  # a header is one line
            body=mail.body,
            next_attempt_at=now,
        )
        for mail in mails
        if (recipients := [address for address in mail.to if address])
    ]
    if not rows:
        return 0
    OutboxMail.objects.bulk_create(rows)
    _send_once_committed()
    return len(rows)


def _send_once_committed() -> None:
    """One send after the commit for all of the transaction's mails (outside a transaction, at
    once). The callback waiting in the open transaction is the one remembered on the connection;
    once it has run, or been dropped with a rollback, the next mail schedules a new one."""
    connection = transaction.get_connection()
    waiting = getattr(connection, "portal_outbox_send", None)
    if waiting is not None and any(func is waiting for _, func, _ in connection.run_on_commit):
        return

    def send() -> None:
        connection.portal_outbox_send = None
        _send_after_commit()

    connection.portal_outbox_send = send
    transaction.on_commit(send, robust=True)


def _send_after_commit() -> None:
    """Send what is due, this transaction's mails among them; whatever happens, the action that
    queued them has already succeeded."""
    try:
        send_pending(limit=settings.OUTBOX_SEND_AFTER_COMMIT)
    except Exception:
        logger.exception("The outbox could not be sent; the mails wait for the next attempt.")


@dataclass
class SendResult:
    sent: int = 0
    failed: int = 0


def send_pending(*, limit: int | None = None, now: datetime | None = None) -> SendResult:
    """Send the due mails of the outbox, oldest first (at most `limit`), BATCH at a time, each batch
    claimed and sent over one connection. Stops early when the server cannot be reached."""
    now = now or timezone.now()
    result = SendResult()
    while limit is None or result.sent + result.failed < limit:
        size = BATCH if limit is None else min(BATCH, limit - result.sent - result.failed)
        due = (
            OutboxMail.objects.due(now).order_by("next_attempt_at", "pk").values_list("pk", flat=True)[:size]
        )
        claimed = [
            pk for pk in due if OutboxMail.objects.due(now).filter(pk=pk).update(next_attempt_at=now + CLAIM)
        ]
        if not claimed or not _send_batch(claimed, now, result):
            break
    return result


def _send_batch(claimed: list[int], now: datetime, result: SendResult) -> bool:
    """Send the claimed mails; False when the server could not be reached."""
    mails = list(OutboxMail.objects.filter(pk__in=claimed).order_by("pk"))
    connection = get_connection()
    try:
        connection.open()
    except Exception as error:
        for mail in mails:
            _failed(mail, error, now)
        result.failed += len(mails)
        return False
    try:
        for index, mail in enumerate(mails):
            try:
                connection.send_messages([_message(mail, connection)])
            except Exception as error:
                _failed(mail, error, now)
                result.failed += 1
                if not _reopen(connection, mails[index + 1 :], now, result):
                    return False
            else:
                _sent(mail)
                result.sent += 1
    finally:
        connection.close()
    return True


def _message(mail: OutboxMail, connection: BaseEmailBackend) -> EmailMessage:
    return EmailMessage(
        subject=mail.subject,
        body=mail.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=mail.recipients,
        connection=connection,
    )


def _reopen(connection: BaseEmailBackend, rest: list[OutboxMail], now: datetime, result: SendResult) -> bool:
    """After a failed mail, carry on with a fresh connection (the old one may be broken); if the
    server cannot be reached any more, the rest fail with the same error and this returns False."""
    if not rest:
        return True
    connection.close()
    try:
        connection.open()
    except Exception as error:
        for mail in rest:
            _failed(mail, error, now)
        result.failed += len(rest)
        return False
    return True


def _sent(mail: OutboxMail) -> None:
    OutboxMail.objects.filter(pk=mail.pk).update(
        sent_at=timezone.now(), attempts=mail.attempts + 1, next_attempt_at=None, body="", last_error=""
    )
    logger.debug("Mail %s (%s) sent to %s.", mail.pk, mail.kind, ", ".join(mail.recipients))


def _failed(mail: OutboxMail, error: Exception, now: datetime) -> None:
    mail.attempts += 1
    mail.last_error = f"{type(error).__name__}: {error}"[:2000]
    gave_up = mail.attempts >= settings.OUTBOX_MAX_ATTEMPTS
    mail.next_attempt_at = None if gave_up else now + mail.retry_delay()
    OutboxMail.objects.filter(pk=mail.pk).update(
        attempts=mail.attempts, last_error=mail.last_error, next_attempt_at=mail.next_attempt_at
    )
    if gave_up:
        logger.error(
            "Mail %s (%s) to %s was not sent after %s attempts and is not retried any more "
            "(manage.py send_outbox --retry-failed): %s",
            mail.pk,
            mail.kind,
            ", ".join(mail.recipients),
            mail.attempts,
            mail.last_error,
        )
    else:
        logger.warning(
            "Mail %s (%s) to %s was not sent (attempt %s), retried from %s: %s",
            mail.pk,
            mail.kind,
            ", ".join(mail.recipients),
            mail.attempts,
            mail.next_attempt_at,
            mail.last_error,
        )


def retry_failed() -> int:
    """Give the mails whose retries were exhausted another round of attempts."""
    return OutboxMail.objects.filter(sent_at__isnull=True, next_attempt_at__isnull=True).update(
        next_attempt_at=timezone.now(), attempts=0
    )
