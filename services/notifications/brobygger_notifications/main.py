"""Composition root of the notifications service: settings, application, sender, scheduler, API."""

from typing import Literal

from pydantic import Field, SecretStr, model_validator

from brobygger_notifications import api, consumers, projections, publishing
from brobygger_notifications.application import NotificationsApplication
from brobygger_notifications.application.channels import SmsGateway, SmtpChannel
from brobygger_notifications.application.reservations import DevReservationRegister, NoReservationRegister
from brobygger_notifications.application.scheduler import Scheduler
from brobygger_notifications.application.sending import Sender
from brobygger_shared.documents import KommuneSettings
from brobygger_shared.service import Components, create_service
from brobygger_shared.settings import ServiceSettings


class NotificationsSettings(ServiceSettings):
    service_name: str = "notifications"

    # E-mail: the kommune's SMTP server (make dev and the test stack set host and port to their own).
    smtp_host: str = "127.0.0.1"
    smtp_port: int = 25
    smtp_tls: Literal["none", "starttls", "tls"] = "none"
    smtp_username: str | None = None
    smtp_password: SecretStr | None = None
    smtp_timeout_seconds: float = 10
    mail_sender: str = "Eksempel kommune <ikke-svar@eksempel.kommune.no>"
    message_id_domain: str = "brobygger.eksempel.kommune.no"  # Message-ID: <notification id@this>
    # SMS: the kommune's SMS gateway over HTTP (none: people with only a mobile number get no message).
    sms_gateway_url: str | None = None
    sms_gateway_token: SecretStr | None = None
    # Where people log in to read messages, and where staff work; the staff mailbox for staff messages.
    portal_url: str = "https://brobygger.eksempel.kommune.no/"
    staff_url: str = "https://brobygger.eksempel.kommune.no/ansatte/"
    staff_email: str = "tildeling@eksempel.kommune.no"
    # KRR: in dev and tests, the synthetic identity numbers reserved against digital contact, comma-separated
    # and/or in a file (one a line). Production has no register connected yet: every important letter
    # then goes by post (a staff task), until the real register's client is (see the README).
    krr_dev_reserved: str = ""
    krr_dev_reserved_file: str | None = None
    # Sending: how often the sender looks for due messages, how many at once, and the retries.
    send_poll_seconds: float = 0.5
    send_concurrency: int = Field(default=8, ge=1, le=100)
    retry_attempts: int = Field(default=6, ge=1, le=50)
    retry_first_seconds: float = 30
    retry_longest_seconds: float = 3600
    # Reminders: the scheduler wakes this often; timesheets are due on the kommune's deadline day of
    # each month (for the month before), and the reminder goes this many days before it.
    scheduler_interval_seconds: float = 60
    timesheet_deadline_day: int = Field(default=5, ge=1, le=28)
    timesheet_reminder_days_before: int = Field(default=3, ge=0, le=27)
    # An oppdragstaker is reminded of an unanswered proposal this many days before it lapses.
    proposal_reminder_days_before: int = Field(default=2, ge=0, le=60)
    # The staff's digest of what is overdue goes once a day from this hour (Norwegian time), when anything
    # is: søknader without a foreløpig svar this many months after receipt, proposals past their answer
    # date, politiattester due for renewal.
    digest_hour: int = Field(default=7, ge=0, le=23)
    interim_reply_after_months: int = Field(default=1, ge=1, le=12)
    # Dev and tests only: PUT /dev/clock sets the time the service works by.
    settable_clock: bool = False
    # Dev only: where the dev SMTP server keeps what it receives (set by the runtime); GET /dev/mailbox
    # lists it for the gateway's dev page. Refused in production.
    dev_mail_directory: str | None = None
    kommune: KommuneSettings = Field(default_factory=KommuneSettings)

    @model_validator(mode="after")
    def _no_settable_clock_in_production(self) -> "NotificationsSettings":
        if self.environment == "production" and self.settable_clock:
            raise ValueError("SETTABLE_CLOCK is for dev and tests only")
        if self.environment == "production" and self.dev_mail_directory:
            raise ValueError("DEV_MAIL_DIRECTORY is for dev and tests only")
        if self.environment == "production" and (self.krr_dev_reserved.strip() or self.krr_dev_reserved_file):
            raise ValueError("KRR_DEV_RESERVED and KRR_DEV_RESERVED_FILE are for dev and tests only")
        DevReservationRegister.from_settings(self.krr_dev_reserved, self.krr_dev_reserved_file)  # refuses a bad one
        return self


def build(settings: NotificationsSettings) -> Components:
    application = NotificationsApplication(settings)
    smtp = SmtpChannel(
        host=settings.smtp_host, port=settings.smtp_port, sender=settings.mail_sender,
        message_id_domain=settings.message_id_domain, tls=settings.smtp_tls, username=settings.smtp_username or None,
        password=(settings.smtp_password.get_secret_value() or None) if settings.smtp_password else None,
        timeout=settings.smtp_timeout_seconds,
    )
    sms = SmsGateway(settings.sms_gateway_url,
                     (settings.sms_gateway_token.get_secret_value() or None) if settings.sms_gateway_token else None) \
        if settings.sms_gateway_url else None  # an empty setting is none
    register = NoReservationRegister() if settings.environment == "production" else \
        DevReservationRegister.from_settings(settings.krr_dev_reserved, settings.krr_dev_reserved_file)
    sender = Sender(application, settings, smtp, sms, register)
    scheduler = Scheduler(application, settings)
    return Components(
        application=application,
        to_integration_event=publishing.to_integration_event,
        sinks=consumers.sinks(application, settings.database_url),
        local_projections=[projections.outbox],
        background=[("sender", sender.run), ("scheduler", scheduler.run)],
        state={"sender": sender, "scheduler": scheduler},
    )


app = create_service(NotificationsSettings(), build, api.router, publishes=publishing.PUBLISHES)
