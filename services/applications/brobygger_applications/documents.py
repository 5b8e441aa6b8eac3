"""The letters a citizen's case sends: the vedtak and the foreløpig svar, rendered from the case as it
stood when the letter was issued. Pure: the same case and letterhead give the same bytes."""

from datetime import date
from html.parser import HTMLParser

from brobygger_applications.domain import APPEAL_RULES, LetterKind, Scheme, ServiceApplication
from brobygger_shared.calendar import age_on, norwegian_date
from brobygger_shared.documents import Documents, Kommune, address_lines

TEMPLATES = Documents("brobygger_applications")


# What the kommune weighs under each scheme's legal basis: the rule a vedtak applies, in the words its
# letter uses.
RULES_APPLIED = {
    Scheme.STOTTEKONTAKT: (
        "Du har rett til nødvendige helse- og omsorgstjenester fra kommunen, jf. pasient- og "
        "brukerrettighetsloven § 2-1 a andre ledd. Vi har vurdert om du trenger en støttekontakt for å kunne "
        "delta i fritidsaktiviteter og sosialt fellesskap, og hvilket omfang som dekker behovet ditt."
    ),
    Scheme.PRIVAT_AVLASTNING: (
        "Kommunen skal tilby avlastning til personer og familier med særlig tyngende omsorgsarbeid. Vi har "
        "vurdert hvor tyngende omsorgsarbeidet er, og hvilket omfang av avlastning som gir nødvendig hvile."
    ),
    Scheme.STOTTEKONTAKT_BARNEVERN: (
        "Barneverntjenesten skal sette inn hjelpetiltak når barnet på grunn av forholdene i hjemmet eller av "
        "andre grunner har særlig behov for det. Vi har vurdert barnets behov og om en støttekontakt er et "
        "egnet tiltak."
    ),
    Scheme.BESOKSHJEM: (
        "Barneverntjenesten skal sette inn hjelpetiltak når barnet på grunn av forholdene i hjemmet eller av "
        "andre grunner har særlig behov for det. Vi har vurdert barnets behov og om et besøkshjem er et "
        "egnet tiltak."
    ),
}


def render_letter(case: ServiceApplication, kind: LetterKind, kommune: Kommune, contact_person: str,
                  issued_on: date) -> bytes:
    """The letter of `kind` for the case as it stands: its latest vedtak, or its foreløpig svar."""
    return _letter(case, kind, kommune, contact_person, issued_on, TEMPLATES.pdf)


def letter_text(case: ServiceApplication, kind: LetterKind, kommune: Kommune, contact_person: str,
                issued_on: date) -> list[dict]:
    """The same letter as text for a web page: from its title on, each heading and paragraph in order,
    as {"heading": text} or {"paragraph": text} (no letterhead, addresses or markup)."""
    reader = _LetterText()
    reader.feed(_letter(case, kind, kommune, contact_person, issued_on, TEMPLATES.html))
    return reader.blocks


def _letter(case: ServiceApplication, kind: LetterKind, kommune: Kommune, contact_person: str, issued_on: date,
            render):
    common = {
        "kommune": kommune,
        "issued_on": issued_on,
        "case_number": case.case_number,
        "recipient": _recipient(case, issued_on),
        "references": [("Saksnummer", case.case_number), ("Vår dato", norwegian_date(issued_on)),
                       ("Deres dato", norwegian_date(case.received_on)), ("Saksbehandler", contact_person)],
        "contact_person": contact_person,
        "scheme": case.scheme,
        "received_on": case.received_on,
    }
    if kind is LetterKind.INTERIM_REPLY:
        return render("interim_reply.html", reply=case.interim_reply, **common)
    decision = case.decisions[-1]
    appealed = case.decisions[case.appeal["against_decision"] - 1] if case.appeal else None
    return render(
        "decision.html",
        decision=decision,
        appeal=case.appeal,
        appealed_decision=appealed,
        needs=case.needs,
        assessments=case.assessments,
        rule_text=RULES_APPLIED[case.scheme],
        appeal_rule=APPEAL_RULES[case.scheme],
        **common,
    )


class _LetterText(HTMLParser):
    HEADINGS = {"h1", "h2", "h3"}
    BLOCKS = {"p", "li", "td", "th"}

    def __init__(self) -> None:
        super().__init__()
        self.blocks: list[dict] = []
        self.started = False
        self.open: str | None = None
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag == "h1":
            self.started = True
        if self.started and (tag in self.HEADINGS or tag in self.BLOCKS):
            self.open, self.text = tag, []

    def handle_endtag(self, tag: str) -> None:
        if self.open == tag:
            text = " ".join("".join(self.text).split())
            if text:
                self.blocks.append({"heading" if tag in self.HEADINGS else "paragraph": text})
            self.open = None

    def handle_data(self, data: str) -> None:
        if self.open:
            self.text.append(data)


def _recipient(case: ServiceApplication, issued_on: date) -> list[str]:
    """The applicant, or for a child the parents or carers, at the address the søknad gave."""
    name = case.full_name if age_on(case.birth_date, issued_on) >= 18 else f"Foresatte til {case.full_name}"
    return [name, *address_lines(case.address)]

