"""Fixtures of the account tests."""

import pytest


@pytest.fixture
def sent(django_capture_on_commit_callbacks, mailoutbox):
    """sent(fn) → (what fn() returns, the mails it sent), the mails delivered as `council.mail.deliver`
    delivers them: once the transaction commits."""

    def run(fn):
        before = len(mailoutbox)
        with django_capture_on_commit_callbacks(execute=True):
            result = fn()
        return result, mailoutbox[before:]

    return run
