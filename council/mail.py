"""The one way the portal sends mail: `deliver`.

A workflow action never waits for or fails on mail: `deliver` sends after the current transaction
commits. (Stub: the outbox that keeps and retries a failed send, and EMAIL_URL, land with #13.)
"""

from __future__ import annotations

from collections.abc import Sequence

from django.core.mail import send_mail
from django.db import transaction


def deliver(*, to: Sequence[str], subject: str, body: str, kind: str) -> None:
    """Mail `body` to the addresses `to` once the current transaction commits. `kind` names what
    the mail is for (e.g. "invitation", "report_submitted", "reminder"), for the outbox and logs."""
    recipients = [address for address in to if address]
    if recipients:
        transaction.on_commit(lambda: send_mail(subject, body, None, recipients))
