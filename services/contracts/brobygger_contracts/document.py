"""The signed oppdragsavtale as a PDF (fpdf2), rendered once, when the last party signs."""

from datetime import UTC, date, datetime, time

from fpdf import FPDF

from brobygger_shared.words import scope_in_words

SCHEME_NAMES = {
    "støttekontakt": "Støttekontakt (helse- og omsorgstjenesteloven)",
    "støttekontakt_barnevern": "Støttekontakt (barnevernsloven)",
    "privat_avlastning": "Privat avlastning",
    "besøkshjem": "Besøkshjem (barnevernsloven)",
}


def _kroner(ore: int | None) -> str:
    if ore is None:
        return "-"
    return f"{ore // 100:,}".replace(",", " ") + f",{ore % 100:02d} kr"


def _dogn_pay(terms: dict) -> str:
    if terms.get("dogn_rate_ore"):
        return _kroner(terms["dogn_rate_ore"])
    if terms.get("dogn_rate_table"):
        return f"etter satstabell {terms['dogn_rate_table']}"
    if terms.get("work_hours_per_dogn"):
        return f"{terms['work_hours_per_dogn']:g} timer etter timesatsen"
    return "-"


def render_contract(contract, volunteer_name: str, kommune: str, signatures: dict[str, dict]) -> bytes:
    terms = contract.terms
    pdf = FPDF(format="A4")
    pdf.set_title("Oppdragsavtale")
    # Dated by the last signature, so the same contract always renders to the same bytes.
    last_signed = max(signature["signed_on"] for signature in signatures.values())
    pdf.set_creation_date(datetime.combine(last_signed, time(), tzinfo=UTC))
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 16)
    pdf.cell(0, 10, "Oppdragsavtale", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", size=10)
    rows = [
        ("Avtale-id", str(contract.id)),
        ("Oppdragsgiver", kommune),
        ("Oppdragstaker", volunteer_name),
        ("Ordning", SCHEME_NAMES.get(contract.scheme, contract.scheme)),
        ("Sak (bruker)", str(contract.application_id)),
        ("Periode", f"{contract.period_from:%d.%m.%Y} - {contract.period_to:%d.%m.%Y}"),
        ("Tilknytningsform", terms["engagement_type"]),
        ("Omfang", scope_in_words(terms["scope"], terms["scope_unit"])),
        ("Godtgjøring per time", _kroner(terms["hourly_rate_ore"]) if terms["hourly_rate_ore"]
            else f"etter satstabell {terms['hourly_rate_table']}" if terms["hourly_rate_table"] else "-"),
        ("Godtgjøring per døgn", _dogn_pay(terms)),
        ("Utgiftsdekning", {
            "ingen": "ingen",
            "fast_per_måned": f"{_kroner(terms['expense_flat_monthly_ore'])} per måned",
            "døgnsats_etter_alder": f"døgnsats etter barnets alder ({terms['expense_rate_table']})",
        }[terms["expense_kind"]]),
        ("Kjøregodtgjørelse", "etter statens sats" if terms["mileage_covered"] else "dekkes ikke"),
        ("Oppsigelsestid", f"{terms['notice_period_days']} dager"),
        ("Kontaktpersoner", ", ".join(terms["contact_persons"]) or "-"),
    ]
    if terms["household_members"]:
        rows.append(("Personer i hjemmet", ", ".join(terms["household_members"])))
    for label, value in rows:
        pdf.set_font("Helvetica", "B", 10)
        pdf.cell(55, 7, label)
        pdf.set_font("Helvetica", size=10)
        pdf.multi_cell(0, 7, value, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    pdf.multi_cell(0, 6, "Oppdragstakeren har levert gyldig politiattest og signert taushetserklæring før avtalen "
                         "ble inngått.", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    pdf.set_font("Helvetica", "B", 11)
    pdf.cell(0, 8, "Signaturer", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", size=10)
    for party, signature in signatures.items():
        signed_on: date = signature["signed_on"]
        pdf.cell(0, 7, f"{party.capitalize()}: {signature['signer']}, {signed_on:%d.%m.%Y}", new_x="LMARGIN",
                 new_y="NEXT")
    return bytes(pdf.output())
