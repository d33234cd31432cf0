"""A real SMTP server for tests: aiosmtpd on 127.0.0.1, on a free port, keeping what it receives."""

from __future__ import annotations

import socket
from dataclasses import dataclass
from email import message_from_bytes, policy
from email.message import EmailMessage

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Received:
    """One message as the server received it."""

    sender: str
    recipients: list[str]
    message: EmailMessage

    @property
    def subject(self) -> str:
        """As a mail client shows it: Django folds a long encoded subject onto the next line, and
        the parser keeps the folding space in front."""
        return str(self.message["Subject"]).strip()

    @property
    def text(self) -> str:
        """The plain-text body, its lines ended as a client shows them (SMTP sends CRLF)."""
        return self.message.get_body(preferencelist=("plain",)).get_content().replace("\r\n", "\n")


class Inbox:
    """The aiosmtpd handler: every message that arrives, parsed."""

    def __init__(self) -> None:
        self.received: list[Received] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's hook name)
        message = message_from_bytes(envelope.original_content, policy=policy.default)
        self.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"


class MailServer:
    """start()/stop() an SMTP server on 127.0.0.1:`port` (a free one unless given)."""

    def __init__(self, port: int | None = None) -> None:
        self.port = port or free_port()
        self.inbox = Inbox()
        self.controller: Controller | None = None

    @property
    def received(self) -> list[Received]:
        return self.inbox.received

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    def start(self) -> MailServer:
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)
        self.controller.start()
        return self

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None
