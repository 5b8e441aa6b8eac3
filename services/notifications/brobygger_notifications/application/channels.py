"""Where messages go: e-mail by SMTP (aiosmtplib) and SMS through the kommune's SMS gateway over HTTP.
(The reservation register, KRR, asked before an important letter goes digitally: `reservations`.)

Each channel answers with the provider's id for the message, or raises `ChannelFailed` with a reason
that names no person (it is stored and shown to staff).
"""

from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import format_datetime
from datetime import datetime
from uuid import UUID

import aiosmtplib
import httpx

from brobygger_notifications.application.messages import Rendered


class ChannelFailed(Exception):
    """The message was not accepted; the reason is safe to store (no address, no content)."""


def message_id(notification_id: UUID, domain: str) -> str:
    """The e-mail's Message-ID, from the notification: sent again after a crash, it is the same message."""
    return f"<{notification_id}@{domain}>"


@dataclass(frozen=True)
class SmtpChannel:
    host: str
    port: int
    sender: str
    message_id_domain: str
    tls: str = "none"  # none | starttls | tls
    username: str | None = None
    password: str | None = None
    timeout: float = 10

    def compose(self, notification_id: UUID, to: str, message: Rendered, at: datetime) -> EmailMessage:
        email = EmailMessage()
        email["From"] = self.sender
        email["To"] = to
        email["Subject"] = message.subject
        email["Date"] = format_datetime(at)
        email["Message-ID"] = message_id(notification_id, self.message_id_domain)
        email["Auto-Submitted"] = "auto-generated"  # RFC 3834: no auto-replies to it
        email.set_content(message.text)
        email.add_alternative(message.html, subtype="html")
        return email

    async def send(self, notification_id: UUID, to: str, message: Rendered, at: datetime) -> str:
        email = self.compose(notification_id, to, message, at)
        try:
            await aiosmtplib.send(
                email, hostname=self.host, port=self.port, username=self.username, password=self.password,
                use_tls=self.tls == "tls", start_tls=True if self.tls == "starttls" else False,
                timeout=self.timeout,
            )
        except aiosmtplib.SMTPRecipientsRefused as error:
            raise ChannelFailed(f"SMTP-tjeneren avviste mottakeren ({type(error).__name__})") from None
        except (aiosmtplib.SMTPException, OSError) as error:
            raise ChannelFailed(f"SMTP: {type(error).__name__}") from None
        return email["Message-ID"]


@dataclass(frozen=True)
class SmsGateway:
    """The kommune's SMS gateway over HTTP: POST {url}/messages {to, text, reference} -> {id}."""

    url: str
    token: str | None = None
    timeout: float = 10

    async def send(self, notification_id: UUID, to: str, text: str) -> str:
        headers = {"authorization": f"Bearer {self.token}"} if self.token else {}
        try:
            async with httpx.AsyncClient(timeout=self.timeout) as client:
                response = await client.post(f"{self.url.rstrip('/')}/messages", headers=headers,
                                             json={"to": to, "text": text, "reference": str(notification_id)})
        except httpx.HTTPError as error:
            raise ChannelFailed(f"SMS-tjenesten svarte ikke ({type(error).__name__})") from None
        if response.status_code >= 300:
            raise ChannelFailed(f"SMS-tjenesten svarte {response.status_code}")
        try:
            return str(response.json()["id"])
        except (ValueError, KeyError, TypeError):
            raise ChannelFailed("SMS-tjenesten svarte uten id") from None
