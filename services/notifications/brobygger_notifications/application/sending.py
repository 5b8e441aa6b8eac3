"""The sender: sends each due notification once and records what happened.

It works through the notifications that are requested, or failed and due again (the outbox read model),
one sender at a time across replicas (an advisory lock). For each it loads the Notification, finds the
address (the person's Contact, or the staff mailbox), asks the reservation register (KRR, by the
person's identity number) before an important letter, renders the message and hands it to a channel
(to its one channel, where the notification names one); then it records Sent with the provider's id,
or Failed with the next try (after the last, a staff task). A crash between the server's acceptance and the
record sends it again on restart, with the same Message-ID: the receiving side sees one message twice,
and the notification is recorded sent once (the aggregate refuses a second Sent, and concurrent saves of
one version conflict).
"""

import asyncio
from datetime import timedelta

import asyncpg

from brobygger_notifications import projections
from brobygger_notifications.application import NotificationsApplication
from brobygger_notifications.application.channels import ChannelFailed, SmsGateway, SmtpChannel
from brobygger_notifications.application.messages import render
from brobygger_notifications.application.reservations import NotConnected, RegisterUnavailable, ReservationRegister
from brobygger_notifications.domain import KINDS, Audience, Backoff, Channel, Contact, Notification, StaffTask
from brobygger_shared.exclusive import run_exclusively
from brobygger_shared.logging import get_logger

log = get_logger(__name__)

NO_CONTACT = "Personen har ikke oppgitt e-post eller mobilnummer."
RESERVED = "Personen har reservert seg mot digital kontakt (KRR)."
NO_IDENTITY = "Fødselsnummeret er ikke kjent for varslingstjenesten, så reservasjonen i KRR kan ikke sjekkes."
NO_ADDRESS_FOR_CHANNEL = "Personen har ikke oppgitt adresse for denne kanalen (e-post eller mobilnummer)."
NO_SMS_SERVICE = "Ingen SMS-tjeneste er satt opp."
NO_SMS = "Personen har bare mobilnummer, og ingen SMS-tjeneste er satt opp."
UNKNOWN_KIND = "Ukjent varseltype."


class Sender:
    def __init__(self, app: NotificationsApplication, settings, smtp: SmtpChannel, sms: SmsGateway | None,
                 register: ReservationRegister) -> None:
        self.app = app
        self.settings = settings
        self.smtp = smtp
        self.sms = sms
        self.register = register
        self.backoff = Backoff(settings.retry_attempts, timedelta(seconds=settings.retry_first_seconds),
                               timedelta(seconds=settings.retry_longest_seconds))
        self.kommune = settings.kommune.kommune()
        self.sent = 0

    async def run(self) -> None:
        await run_exclusively(self.settings.database_url, "notifications.sender", self._loop)

    async def _loop(self) -> None:
        pool = await asyncpg.create_pool(self.settings.database_url, min_size=1, max_size=2)
        limit = asyncio.Semaphore(self.settings.send_concurrency)
        try:
            while True:
                async with pool.acquire() as connection:
                    due = await projections.due_notifications(connection, self.app.clock.now(), 200)
                if not due:
                    await asyncio.sleep(self.settings.send_poll_seconds)
                    continue

                async def one(notification_id):
                    async with limit:
                        await self.send(notification_id)

                await asyncio.gather(*(one(notification_id) for notification_id in due))
        finally:
            await pool.close()

    async def send(self, notification_id) -> None:
        notification: Notification = await asyncio.to_thread(self.app.notification, notification_id)
        if not notification.due(self.app.clock.now()):
            return
        try:
            await self._deliver(notification)
        except Exception as error:  # noqa: BLE001 - one message that cannot be sent must not stop the others
            reason = str(error) if isinstance(error, ChannelFailed) else f"Feil ved sending: {type(error).__name__}"
            if not isinstance(error, ChannelFailed):
                log.exception("notification.error", notification_id=str(notification.id), kind=notification.template)
            notification.record_failure(reason, self.app.clock.now(), self.backoff)
            log.warning("notification.failed", notification_id=str(notification.id), kind=notification.template,
                        attempt=notification.attempts, reason=reason)
        if await asyncio.to_thread(self.app.save_once, notification):
            if notification.status == "sendt":
                self.sent += 1

    async def _deliver(self, notification: Notification) -> None:
        now = self.app.clock.now()
        kind = KINDS.get(notification.template)
        if kind is None:
            notification.skip(UNKNOWN_KIND, now)
            return
        if kind.audience == Audience.STAFF:
            email, mobile = self.settings.staff_email, None
        else:
            contact = await asyncio.to_thread(self.app.contact, notification.subject_id)
            if contact is None or not contact.reachable:
                if kind.important:
                    notification.hand_to_staff(StaffTask.SEND_BY_POST, NO_CONTACT, now)
                else:
                    notification.skip(NO_CONTACT, now)
                return
            if kind.important and (by_post := await self._not_digitally(contact)):
                notification.hand_to_staff(StaffTask.SEND_BY_POST, by_post, now)
                log.info("notification.by_post", notification_id=str(notification.id), kind=notification.template)
                return
            email, mobile = contact.email, contact.mobile
            if notification.channel is not None:  # this channel only: the other is a notification of its own
                email, mobile = (email, None) if notification.channel == Channel.EMAIL else (None, mobile)
                if not (email or mobile) or (mobile and self.sms is None):
                    notification.skip(NO_ADDRESS_FOR_CHANNEL if not (email or mobile) else NO_SMS_SERVICE, now)
                    return
        message = render(notification.template, notification.details, self.kommune.name, self.kommune.phone,
                         self.settings.portal_url, self.settings.staff_url)
        if email:
            provider_id = await self.smtp.send(notification.id, email, message, now)
            channel = Channel.EMAIL
        elif mobile and self.sms is not None:
            provider_id = await self.sms.send(notification.id, mobile, message.sms)
            channel = Channel.SMS
        else:
            raise ChannelFailed(NO_SMS)
        notification.record_sent(channel, provider_id, self.app.clock.now())
        log.info("notification.sent", notification_id=str(notification.id), kind=notification.template,
                 channel=str(channel))

    async def _not_digitally(self, contact: Contact) -> str | None:
        """Why an important letter may not go digitally (it goes by post): the person is reserved in KRR,
        or whether they are cannot be known (no identity number, no register). None: it may go. A register
        that does not answer now is a failure like a channel's, tried again with backoff."""
        if not contact.national_id:
            return NO_IDENTITY
        try:
            return RESERVED if await self.register.reserved(contact.national_id) else None
        except NotConnected as error:
            return str(error)
        except RegisterUnavailable as error:
            raise ChannelFailed(str(error)) from None
