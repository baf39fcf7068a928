"""How messages leave the service: e-mail over SMTP, SMS through a gateway.

`SmsGateway` is the interface an SMS provider is plugged in through; `HttpSmsGateway`
is its implementation for the common shape of such APIs (an authenticated JSON POST).
Every failure is a `DeliveryFailed` whose message never holds the text sent (which may
carry a pickup code); the worker retries it with backoff.
"""

from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Protocol

import requests


class DeliveryFailed(RuntimeError):
    """The message was not handed over; `retry` says whether trying again may help."""

    def __init__(self, message: str, *, retry: bool = True) -> None:
        super().__init__(message)
        self.retry = retry


@dataclass(frozen=True)
class Mail:
    to: str
    subject: str
    text: str
    png: bytes | None = None  # the QR code, attached and shown inline
    png_name: str = "pickup-qr.png"


class SmsGateway(Protocol):
    def send(self, to: str, text: str) -> None: ...


@dataclass(frozen=True)
class SmtpMailer:
    host: str
    port: int
    sender: str
    starttls: bool = False
    username: str | None = None
    password: str | None = None
    timeout_s: float = 20.0

    def send(self, mail: Mail) -> None:
        msg = EmailMessage()
        msg["From"] = self.sender
        msg["To"] = mail.to
        msg["Subject"] = mail.subject
        msg.set_content(mail.text)
        if mail.png is not None:
            msg.add_attachment(mail.png, maintype="image", subtype="png", filename=mail.png_name)
        try:
            with smtplib.SMTP(self.host, self.port, timeout=self.timeout_s) as smtp:
                if self.starttls:
                    smtp.starttls(context=ssl.create_default_context())
                if self.username and self.password:
                    smtp.login(self.username, self.password)
                smtp.send_message(msg)
        except smtplib.SMTPRecipientsRefused as exc:
            raise DeliveryFailed("the SMTP server refused the recipient", retry=False) from exc
        except (smtplib.SMTPException, OSError) as exc:
            raise DeliveryFailed(
                f"SMTP {self.host}:{self.port}: {type(exc).__name__}: {_first_line(exc)}"
            ) from exc


@dataclass(frozen=True)
class HttpSmsGateway:
    """POST {"to": "+E164", "text": "..."} with `Authorization: Bearer <token>`."""

    url: str
    token: str | None = None
    timeout_s: float = 15.0

    def send(self, to: str, text: str) -> None:
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        try:
            resp = requests.post(
                self.url, json={"to": to, "text": text}, headers=headers, timeout=self.timeout_s
            )
        except requests.RequestException as exc:
            raise DeliveryFailed(f"SMS gateway unreachable: {type(exc).__name__}") from exc
        if resp.status_code >= 500 or resp.status_code == 429:
            raise DeliveryFailed(f"SMS gateway answered {resp.status_code}")
        if resp.status_code >= 400:
            raise DeliveryFailed(
                f"SMS gateway refused the message ({resp.status_code})", retry=False
            )


@dataclass(frozen=True)
class Senders:
    mailer: SmtpMailer | None = None
    sms: SmsGateway | None = None


def _first_line(exc: BaseException) -> str:
    return (str(exc).splitlines() or [""])[0][:200]
