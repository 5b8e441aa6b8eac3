"""Notifications on the real stack: messages read back from the real SMTP server's mailbox and the SMS
sink (a receipt, a contract ready to sign, a returned timesheet), the reservation path (KRR by identity
number), and a reminder driven by the service's settable clock."""

from datetime import UTC, date, datetime, timedelta
from email import policy
from email.parser import BytesParser
from pathlib import Path
from random import randint
from uuid import uuid4

import pytest

from brobygger_shared.auth import CASEWORKER
from brobygger_dev.testing import eventually, staff_headers
from tests.integration.flows import drafted_contract, approved_volunteer, get, granted_case, staff_post, url, volunteer_form

pytestmark = pytest.mark.stack

RESERVED = "reservert@example.org"
RESERVED_NUMBER = "17919000163"  # synthetic: in the dev reservation register below
DOMAIN = "brobygger.eksempel.kommune.no"


@pytest.fixture(scope="module")
def notifications(stack):
    """The notifications service with the settable clock and a synthetic identity number reserved in the
    dev reservation register; started again as the stack has it afterwards."""
    stack.stop_service("notifications")
    stack.start_service("notifications", env={"SETTABLE_CLOCK": "true", "KRR_DEV_RESERVED": RESERVED_NUMBER,
                                              "SCHEDULER_INTERVAL_SECONDS": "2"})
    yield stack
    stack.stop_service("notifications")
    stack.start_service("notifications")


def mailbox(stack, to: str) -> list:
    messages = []
    for path in sorted(Path(stack.mail.directory).glob("*.eml")):
        message = BytesParser(policy=policy.default).parsebytes(path.read_bytes())
        if message["X-Envelope-To"] == to:
            messages.append(message)
    return messages


def notifications_of(http, stack, recipient_id: str) -> list[dict]:
    return get(http, stack, "notifications", f"/notifications?recipient_id={recipient_id}")


def test_a_søknad_with_an_email_gets_its_receipt_through_the_real_smtp_server(notifications, http):
    stack = notifications
    email = f"innbygger-{uuid4().hex[:8]}@example.org"
    case = staff_post(http, stack, "applications", "/service-applications", {
        "national_id": "17919000082", "full_name": "Kari Testesen", "birth_date": "1990-11-17",
        "address": "Testveien 1", "area": "Sentrum", "scheme": "støttekontakt", "needs": "Aktivitet og følge.",
        "email": email}, expect=201)

    sent = eventually(lambda: [n for n in notifications_of(http, stack, case["application_id"])
                               if n["status"] == "sendt"], timeout=60)[0]
    [message] = eventually(lambda: mailbox(stack, email))

    assert sent["template"] == "soknad_mottatt" and sent["channel"] == "epost"
    assert message["To"] == email
    assert message["Message-ID"].strip() == f"<{sent['notification_id']}@{DOMAIN}>"
    assert message["Subject"] == "Ny melding fra Eksempel kommune"
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert "Du har en ny melding fra Eksempel kommune. Logg inn for å lese den" in text
    assert "Logg inn og les meldingen" in html
    for secret in ("støttekontakt", "Aktivitet", "Kari", "søknad"):
        assert secret not in message["Subject"] + text + html
    # The dev page's list of received mail (staff only) shows it, and hands out the .eml as received.
    [listed] = [m for m in get(http, stack, "notifications", "/dev/mailbox?limit=1000") if m["to"] == email]
    assert listed["message_id"] == message["Message-ID"].strip()
    raw = http.get(url(stack, "notifications", f"/dev/mailbox/{listed['name']}"), headers=staff_headers(CASEWORKER))
    assert raw.status_code == 200 and f"To: {email}" in raw.text


def test_an_oppdragstaker_with_only_a_mobile_gets_the_receipt_by_sms(notifications, http):
    stack = notifications
    mobile = "+4791234567"
    reference = staff_post(http, stack, "applications", "/volunteer-applications",
                           volunteer_form() | {"mobile": "912 34 567"}, expect=201)
    sent = eventually(lambda: [n for n in notifications_of(http, stack, reference["volunteer_id"])
                               if n["status"] == "sendt"], timeout=60)[0]
    sms = eventually(lambda: [m for m in http.get(f"{stack.sms.url}/messages").json()
                              if m["reference"] == sent["notification_id"]])
    assert sent["channel"] == "sms" and sms[0]["to"] == mobile
    assert "har mottatt søknaden din om å bli oppdragstaker" in sms[0]["text"]


def test_a_reserved_persons_vedtak_becomes_a_staff_task_and_is_not_sent_digitally(notifications, http):
    """KRR is asked by the identity number the søknad gave, which reached notifications on
    ApplicationReceived beside the e-mail address."""
    stack = notifications
    case = granted_case(http, stack, national_id=RESERVED_NUMBER, birth_date="1990-11-17", email=RESERVED)

    task = eventually(lambda: [n for n in get(http, stack, "notifications", "/notifications/staff-tasks")
                               if n["recipient_id"] == case["application_id"]], timeout=60)[0]
    assert task["template"] == "vedtak" and task["task"] == "send_i_posten"
    assert "reservert" in task["reason"]
    # The receipt is a service message, not a letter: it may still go by e-mail.
    eventually(lambda: [n for n in notifications_of(http, stack, case["application_id"])
                        if n["template"] == "soknad_mottatt" and n["status"] == "sendt"], timeout=60)
    assert len(mailbox(stack, RESERVED)) == len([n for n in notifications_of(http, stack, case["application_id"])
                                                 if n["status"] == "sendt"])


def _signed_contract_of(http, stack, email: str, **contact) -> tuple[dict, str]:
    """A contract signed by both, and the oppdragstaker's single-use signing link staff issued for it."""
    volunteer = approved_volunteer(http, stack, roles=["støttekontakt"], area="Sentrum", interests=["fotball"],
                                   email=email, **contact)
    case = granted_case(http, stack)
    contract = drafted_contract(http, stack, volunteer, case)
    link = staff_post(http, stack, "contracts", f"/contracts/{contract['contract_id']}/signing-link")["path"]
    # Signing renders the contract's PDF: on a loaded machine that takes longer than the client's default.
    signed_by_kommune = http.post(url(stack, "contracts", f"/contracts/{contract['contract_id']}/kommune-signature"),
                                  headers=staff_headers(CASEWORKER), timeout=120)
    assert signed_by_kommune.status_code == 200, signed_by_kommune.text
    signed = http.post(url(stack, "contracts", link), timeout=120)
    assert signed.status_code == 200, signed.text
    return signed.json(), link


def _set_clock(http, stack, at: datetime) -> None:
    response = http.put(url(stack, "notifications", "/dev/clock"), json={"now": at.isoformat()})
    assert response.status_code == 200, response.text


def test_a_timesheet_reminder_is_sent_once_before_the_deadline_by_the_settable_clock(notifications, http):
    stack = notifications
    email = f"oppdragstaker-{uuid4().hex[:8]}@example.org"
    contract, _ = _signed_contract_of(http, stack, email)
    volunteer_id = contract["volunteer_id"]
    # Approval and the proposal reached the oppdragstaker by e-mail on the way.
    eventually(lambda: {"godkjent_oppdragstaker", "forslag_oppdragstaker"} <= {
        n["template"] for n in notifications_of(http, stack, volunteer_id) if n["status"] == "sendt"}, timeout=60)

    first = date.fromisoformat(contract["period_from"])
    next_month = (first.replace(day=28) + timedelta(days=4)).replace(day=1)
    try:
        for day in (1, 3, 4):  # the 1st is before the window (deadline the 5th, 3 days before); then twice in it
            _set_clock(http, stack, datetime(next_month.year, next_month.month, day, 8, 0, tzinfo=UTC))
            if day == 1:
                continue
            reminders = eventually(lambda: [n for n in notifications_of(http, stack, volunteer_id)
                                            if n["template"] == "timeliste_paminnelse" and n["status"] == "sendt"],
                                   timeout=60)
            assert len(reminders) == 1
    finally:
        http.put(url(stack, "notifications", "/dev/clock"), json={"now": None})

    [message] = [m for m in mailbox(stack, email) if m["Message-ID"].strip() == f"<{reminders[0]['notification_id']}@{DOMAIN}>"]
    month = ["januar", "februar", "mars", "april", "mai", "juni", "juli", "august", "september", "oktober",
             "november", "desember"][first.month - 1]
    assert message["Subject"] == f"Påminnelse: lever timelisten for {month} {first.year}"
    assert f"innen 05.{next_month.month:02d}.{next_month.year}" in message.get_body(("plain",)).get_content()


def message_of(stack, to: str, notification: dict):
    """The e-mail the SMTP server received for a notification: by recipient and the Message-ID derived from it."""
    [message] = [m for m in mailbox(stack, to) if m["Message-ID"].strip() == f"<{notification['notification_id']}@{DOMAIN}>"]
    return message


@pytest.fixture(scope="module")
def oppdragstaker(notifications, http) -> dict:
    """An oppdragstaker with an e-mail address and a mobile number, their contract signed through the
    single-use link staff issued (which made it ready for them to sign)."""
    email, mobile = f"oppdragstaker-{uuid4().hex[:8]}@example.org", f"9{randint(0, 9_999_999):07d}"
    contract, link = _signed_contract_of(http, notifications, email, mobile=mobile)
    return {"email": email, "mobile": f"+47{mobile}", "contract": contract, "link": link}


def sent_of(http, stack, volunteer_id: str, kind: str, count: int = 1) -> list[dict]:
    """The notifications of a kind sent to the oppdragstaker, once at least `count` are."""
    def sent() -> list[dict]:
        found = [n for n in notifications_of(http, stack, volunteer_id) if n["template"] == kind and n["status"] == "sendt"]
        return found if len(found) >= count else []
    return eventually(sent, timeout=60)


def test_a_contract_ready_to_sign_reaches_the_oppdragstaker_by_email_and_sms_leading_to_sign_in(
        notifications, http, oppdragstaker):
    stack = notifications
    contract = oppdragstaker["contract"]
    token = oppdragstaker["link"].rsplit("/", 1)[-1]
    by_email, by_sms = sorted(sent_of(http, stack, contract["volunteer_id"], "avtale_til_signering", count=2),
                              key=lambda n: n["channel"])

    assert (by_email["channel"], by_sms["channel"]) == ("epost", "sms")
    message = message_of(stack, oppdragstaker["email"], by_email)
    assert message["To"] == oppdragstaker["email"]
    assert message["Subject"] == "Du har en oppdragsavtale å signere – Eksempel kommune"
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    link = f"/oppdragsavtaler/{contract['contract_id']}"
    assert link in text and link in html and "Logg inn" in text and "ID-porten" in text
    # The single-use link lets anyone holding it sign without signing in: it is in no message.
    assert token not in text + html and "/signing/" not in text + html and "/signering/" not in text + html
    sms = eventually(lambda: [m for m in http.get(f"{stack.sms.url}/messages").json()
                              if m["reference"] == by_sms["notification_id"]])
    assert sms[0]["to"] == oppdragstaker["mobile"] and link in sms[0]["text"] and token not in sms[0]["text"]


def test_a_returned_timesheet_tells_the_oppdragstaker_the_reason_by_email(notifications, http, oppdragstaker):
    stack = notifications
    contract = oppdragstaker["contract"]
    today = date.today()
    eventually(lambda: any(c["contract_id"] == contract["contract_id"] for c in get(http, stack, "payroll", "/contracts")))
    sheet = staff_post(http, stack, "payroll", "/timesheets", {
        "contract_id": contract["contract_id"], "period": f"{today:%Y-%m}",
        "entries": [{"day": today.isoformat(), "hours": "2", "activity": "fotball"}]}, expect=201)
    reason = "Timene for fotballkampen mangler klokkeslett. Før opp når dere startet og sluttet."
    staff_post(http, stack, "payroll", f"/timesheets/{sheet['timesheet_id']}/return", {"reason": reason})

    [returned] = sent_of(http, stack, contract["volunteer_id"], "timeliste_returnert")

    message = message_of(stack, oppdragstaker["email"], returned)
    assert message["To"] == oppdragstaker["email"]
    assert message["Subject"] == "Timelisten din er sendt tilbake for retting"
    text = message.get_body(("plain",)).get_content()
    month = ["januar", "februar", "mars", "april", "mai", "juni", "juli", "august", "september", "oktober",
             "november", "desember"][today.month - 1]
    assert f"Timelisten din for {month} {today.year} er sendt tilbake" in text and reason in text
    assert reason in message.get_body(("html",)).get_content()
    assert "fotball" not in message["Subject"]  # the reason is for the body alone
