"""Reminders from the clock: a scheduler that wakes every minute (a setting), works out from the read
models and the day what is due, and requests each reminder under the id its key gives (kind, person,
subject, period). One scheduler at a time across replicas (an advisory lock); and since the id is the
key's, a reminder worked out again (another day of its window, after a restart, by another replica) is
refused by the event store as one it already holds: each is decided once.
"""

import asyncio
from zoneinfo import ZoneInfo

import asyncpg

from brobygger_notifications import projections
from brobygger_notifications.application import NotificationsApplication
from brobygger_notifications.application.policy import STAFF
from brobygger_notifications.domain import daily_digest, lapsing_proposals, timesheet_reminders
from brobygger_shared.calendar import add_months
from brobygger_shared.exclusive import run_exclusively
from brobygger_shared.logging import get_logger

log = get_logger(__name__)

OSLO = ZoneInfo("Europe/Oslo")


class Scheduler:
    def __init__(self, app: NotificationsApplication, settings) -> None:
        self.app = app
        self.settings = settings
        self.requested = 0

    async def run(self) -> None:
        await run_exclusively(self.settings.database_url, "notifications.scheduler", self._loop)

    async def _loop(self) -> None:
        pool = await asyncpg.create_pool(self.settings.database_url, min_size=1, max_size=2)
        try:
            while True:
                self.app.clock.changed.clear()
                await self.tick(pool)
                try:
                    await asyncio.wait_for(self.app.clock.changed.wait(), self.settings.scheduler_interval_seconds)
                except TimeoutError:
                    pass
        finally:
            await pool.close()

    async def tick(self, pool: asyncpg.Pool) -> int:
        """Request every reminder due now that was not decided before; how many were new."""
        now = self.app.clock.now()
        today = now.astimezone(OSLO).date()
        async with pool.acquire() as connection:
            contracts, submitted = await projections.timesheet_reminder_inputs(connection)
            proposals = await projections.open_proposals(connection)
            overdue = await projections.overdue(
                connection, today, add_months(today, -self.settings.interim_reply_after_months))
        reminders = timesheet_reminders(today, self.settings.timesheet_deadline_day,
                                        self.settings.timesheet_reminder_days_before, contracts, submitted)
        reminders += lapsing_proposals(today, self.settings.proposal_reminder_days_before, proposals)
        digest = daily_digest(today, now.astimezone(OSLO).hour, self.settings.digest_hour, overdue, STAFF)
        reminders += [digest] if digest else []
        new = 0
        for reminder in reminders:
            if await asyncio.to_thread(self.app.request, reminder.notification_id, reminder.person, reminder.kind,
                                       reminder.notification_id, reminder.details, now):
                new += 1
        if new:
            log.info("scheduler.requested", reminders=new, day=today.isoformat())
        self.requested += new
        return new
