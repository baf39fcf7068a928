"""Settings of the service's own work: the secret key for sealed codes, the SMTP
server and SMS gateway for customer notices, the background worker's pace.

They travel to worker processes (`--workers N`) in the environment, like the other
serve settings; secrets stay in their files and only the paths travel.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

from central.context import ServiceContext
from central.delivery import HttpSmsGateway, Senders, SmtpMailer
from central.secretbox import SecretBox

ENV = "EXPRESSPOINT_CENTRAL_WORKER_OPTIONS"


class OptionError(ValueError):
    """A serve option is malformed; the message names it and says what to give."""


@dataclass(frozen=True)
class ServiceOptions:
    secret_key_file: str | None = None
    smtp: str | None = None  # host:port
    mail_from: str = "ExpressPoint <no-reply@localhost>"
    smtp_starttls: bool = False
    sms_gateway: str | None = None  # URL
    sms_token_file: str | None = None
    worker_interval_s: float = 1.0
    retry_first_s: float = 30.0

    def to_env(self) -> None:
        os.environ[ENV] = json.dumps(asdict(self))

    @classmethod
    def from_env(cls) -> ServiceOptions:
        raw = os.environ.get(ENV)
        return cls(**json.loads(raw)) if raw else cls()

    def senders(self) -> Senders:
        mailer = None
        if self.smtp:
            host, _, port = self.smtp.rpartition(":")
            if not host or not port.isdigit():
                raise OptionError(f"--smtp {self.smtp!r}: give HOST:PORT, e.g. 127.0.0.1:25")
            mailer = SmtpMailer(host, int(port), self.mail_from, starttls=self.smtp_starttls)
        sms = None
        if self.sms_gateway:
            if not self.sms_gateway.startswith(("http://", "https://")):
                raise OptionError("--sms-gateway: give the gateway's http(s):// URL")
            token = None
            if self.sms_token_file:
                try:
                    token = Path(self.sms_token_file).read_text(encoding="utf-8").strip()
                except OSError as exc:
                    raise OptionError(
                        f"--sms-token-file {self.sms_token_file}: {exc.strerror}"
                    ) from exc
            sms = HttpSmsGateway(self.sms_gateway, token)
        return Senders(mailer=mailer, sms=sms)

    def apply(self, ctx: ServiceContext) -> ServiceContext:
        if self.secret_key_file:
            try:
                ctx.secret_box = SecretBox.from_file(Path(self.secret_key_file))
            except ValueError as exc:
                raise OptionError(f"--secret-key-file: {exc}") from exc
        ctx.senders = self.senders()
        ctx.worker_interval_s = self.worker_interval_s
        ctx.retry_first_s = self.retry_first_s
        return ctx
