"""Each sent once, under faults: the notifications process is killed at random moments while it sends
e-mails (`make faults`: 500 e-mails and 20 kills; `make test` runs a shorter 100 and 5, to keep the suite
quick). Every notification reaches the SMTP server at least once and is recorded Sent once; the
duplicates the server saw (a kill between the server's acceptance and the record) are counted and
printed, at most one per kill with one message in flight at a time."""

import os
import random
import time
from collections import Counter
from email import policy
from email.parser import BytesParser
from pathlib import Path
from uuid import UUID, uuid4

import httpx
import pytest

from brobygger_notifications.application import NotificationsApplication
from brobygger_dev.runtime.stack import database_name, with_database
from brobygger_shared.settings import ServiceSettings
from brobygger_dev.testing import staff_headers
from brobygger_shared.auth import CASEWORKER
from tests.integration.flows import url, volunteer_form

pytestmark = pytest.mark.stack

MESSAGES = int(os.environ.get("FAULT_MESSAGES", "100"))
KILLS = int(os.environ.get("FAULT_KILLS", "5"))
SERVICE = "notifications"
ENV = {"SEND_CONCURRENCY": "1", "SEND_POLL_SECONDS": "0.2"}


def _submit(count: int, marker: str) -> list[str]:
    emails = [f"{marker}-{number}@example.org" for number in range(count)]
    with httpx.Client(timeout=30) as http:
        for email in emails:
            response = http.post(url(STACK, "applications", "/volunteer-applications"),
                                 json=volunteer_form() | {"email": email}, headers=staff_headers(CASEWORKER))
            assert response.status_code == 201, response.text
    return emails


def _mailbox(directory: Path, marker: str) -> list[tuple[str, str]]:
    """(recipient, Message-ID) of every message the server accepted for this run's addresses."""
    found = []
    parser = BytesParser(policy=policy.default)
    for path in directory.glob("*.eml"):
        message = parser.parsebytes(path.read_bytes(), headersonly=True)
        if message["X-Envelope-To"].startswith(marker):
            found.append((message["X-Envelope-To"], message["Message-ID"].strip()))
    return found


def _sent_records(stack) -> Counter:
    """How many Sent events each notification has, read from the service's own events table."""
    settings = ServiceSettings(service_name=SERVICE,
                               database_url=with_database(stack.postgres_url, database_name(SERVICE)),
                               key_vault_url=stack.key_vault_url)
    app = NotificationsApplication(settings)
    try:
        counts: Counter = Counter()
        start = 1
        while page := app.recorder.select_notifications(start=start, limit=1000):
            for stored in page:
                if stored.topic.endswith("Notification.Sent"):
                    counts[stored.originator_id] += 1
            start = page[-1].id + 1
        return counts
    finally:
        app.close()


STACK = None


def _until_serving(stack, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{stack.services[SERVICE].url}/healthz", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.05)
    raise TimeoutError("notifications did not start serving")


def test_killed_at_random_while_sending_every_message_arrives_and_is_recorded_sent_once(stack):
    global STACK
    STACK = stack
    rng = random.Random(13)
    marker = f"feiltest-{uuid4().hex[:8]}"
    mail = Path(stack.mail.directory)

    stack.stop_service(SERVICE)
    try:
        emails = _submit(MESSAGES, marker)
        started = time.monotonic()
        kills = 0
        while kills < KILLS:
            # At a random moment once it serves HTTP (its sender starts then), before or while it sends.
            stack.start_service(SERVICE, wait=False, env=ENV)
            _until_serving(stack)
            time.sleep(rng.uniform(0.2, 3.0))
            stack.kill_service(SERVICE)
            kills += 1
        stack.start_service(SERVICE, env=ENV)
        deadline = time.monotonic() + 300
        while len({to for to, _ in _mailbox(mail, marker)}) < MESSAGES and time.monotonic() < deadline:
            time.sleep(1)
        seconds = time.monotonic() - started
        received = _mailbox(mail, marker)
        time.sleep(2)  # the last records reach the events table
        sent = _sent_records(stack)
    finally:
        stack.stop_service(SERVICE)
        stack.start_service(SERVICE)

    per_message_id = Counter(message_id for _, message_id in received)
    duplicates = sum(count - 1 for count in per_message_id.values())
    ours = {UUID(message_id[1:].split("@")[0]) for message_id in per_message_id}
    print(f"\n{MESSAGES} notifications, {kills} kills, {seconds:.0f} s: the SMTP server received "
          f"{len(received)} messages, {len(per_message_id)} distinct, {duplicates} duplicates "
          f"({Counter(per_message_id.values())}); Sent recorded per notification: "
          f"{Counter(sent[notification_id] for notification_id in ours)}")

    assert {to for to, _ in received} == set(emails)
    assert len(per_message_id) == MESSAGES  # one Message-ID per notification
    assert all(sent[notification_id] == 1 for notification_id in ours)
    assert duplicates <= kills
