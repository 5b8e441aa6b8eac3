"""Render one letter of each kind from synthetic cases, as PDF and as PNG pages under docs/letters/, so a
reader can see what Brobygger sends. Needs Debian's poppler-utils (pdftoppm).

    .venv/bin/python scripts/render_letter_samples.py
"""

import subprocess
from datetime import date
from pathlib import Path
from uuid import UUID

from brobygger_applications.documents import render_letter
from brobygger_applications.domain import LetterKind, ServiceApplication
from brobygger_contracts.documents import ContractParties, render_contract
from brobygger_contracts.domain import Contract, Party, Terms, VolunteerStatus
from brobygger_shared.documents import KommuneSettings
from brobygger_shared.identity import synthetic_identity_number

OUT = Path(__file__).resolve().parent.parent / "docs" / "letters"
KOMMUNE = KommuneSettings().kommune()
BORN = date(1990, 11, 17)


def case() -> ServiceApplication:
    return ServiceApplication(
        id=UUID(int=1), person_id=UUID(int=2), national_id=synthetic_identity_number(BORN), full_name="Ola Testesen",
        birth_date=BORN, address="Testveien 1, 0001 Eksempelby", area="Nord", scheme="støttekontakt",
        needs="Trenger noen å gå på fotball og kino med.", interests=["fotball", "kino"], wished_activities=[],
        helper_wishes={}, carers=[], scope_asked=3, received_on=date(2026, 1, 12), case_number="2026/0142")


def decision() -> bytes:
    granted = case()
    granted.note_assessment("Samtale med Ola; liker fotball og kino.", date(2026, 2, 2), date(2026, 2, 2))
    granted.grant(3, date(2026, 3, 10), date(2026, 12, 31), "Ola har behov for følge til fritidsaktiviteter. "
                  "Tre timer i uken dekker behovet.", date(2026, 3, 3), "sara.saksbehandler")
    return render_letter(granted, LetterKind.DECISION, KOMMUNE, "Sara Saksbehandler", date(2026, 3, 3))


def interim_reply() -> bytes:
    waiting = case()
    waiting.send_interim_reply("Vi venter på en uttalelse fra fastlegen.", date(2026, 3, 15), date(2026, 2, 12))
    return render_letter(waiting, LetterKind.INTERIM_REPLY, KOMMUNE, "Sara Saksbehandler", date(2026, 2, 12))


def contract() -> bytes:
    attest = VolunteerStatus(certificate_kind="ordinær", certificate_issued_on=date(2026, 2, 1),
                             certificate_verified=True, declaration_signed_on=date(2026, 2, 5))
    terms = Terms(engagement_type="oppdragstaker", scope=3, scope_unit="timer_per_uke", hourly_rate_ore=19500,
                  expense_kind="fast_per_måned", expense_flat_monthly_ore=40000, notice_period_days=30,
                  contact_persons=["Sara Saksbehandler"])
    signed = Contract(id=UUID(int=3), match_id=UUID(int=4), application_id=UUID(int=1), volunteer_id=UUID(int=5),
                      scheme="støttekontakt", user_birth_date=BORN, period_from=date(2026, 3, 10),
                      period_to=date(2026, 12, 31), terms={**terms.as_dict(), "valid_from": date(2026, 3, 10)})
    signed.sign(Party.KOMMUNE, "Sara Saksbehandler", date(2026, 3, 5), attest, 3)
    signed.issue_signing_link("a" * 64)
    signed.sign(Party.VOLUNTEER, "Kari Oppdragstaker", date(2026, 3, 6), attest, 3, token_sha256="a" * 64)
    parties = ContractParties(volunteer_name="Kari Oppdragstaker", volunteer_address="Oppdragsveien 2, 0002 Eksempelby",
                              volunteer_case_number="2026/0098", user_case_number="2026/0142")
    return render_contract(signed, parties, attest, KOMMUNE, date(2026, 3, 6))


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for name, render in [("vedtak", decision), ("forelopig-svar", interim_reply), ("oppdragsavtale", contract)]:
        pdf = OUT / f"{name}.pdf"
        pdf.write_bytes(render())
        for old in OUT.glob(f"{name}-*.png"):
            old.unlink()
        subprocess.run(["pdftoppm", "-png", "-r", "60", str(pdf), str(OUT / name)], check=True)
        print(f"{pdf.relative_to(OUT.parent.parent)} and {sorted(p.name for p in OUT.glob(f'{name}-*.png'))}")


if __name__ == "__main__":
    main()
