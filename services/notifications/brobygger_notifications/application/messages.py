"""A message rendered from its templates: subject, plain text and HTML for e-mail, and the SMS text.

Templates live in `templates/<name>/` (subject.txt, body.txt, body.html, sms.txt), in bokmål. The HTML
is autoescaped; the text parts are not HTML and are not escaped.
"""

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, pass_context, select_autoescape

from brobygger_notifications.domain import KINDS
from brobygger_shared.calendar import MONTH_NAMES, norwegian_date, norwegian_date_in_words

OSLO = ZoneInfo("Europe/Oslo")
WEEKDAYS = ("mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag")

TEMPLATES = Path(__file__).parent.parent / "templates"


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str
    sms: str


def _norwegian_date(value: str | date) -> str:
    return norwegian_date(date.fromisoformat(value) if isinstance(value, str) else value)


def _moment(value: str) -> str:
    """A moment as people in Norway say it, in Norwegian time: tirsdag 1. desember 2026 kl. 10.00."""
    at = datetime.fromisoformat(value)
    at = (at if at.tzinfo else at.replace(tzinfo=OSLO)).astimezone(OSLO)
    return f"{WEEKDAYS[at.weekday()]} {norwegian_date_in_words(at.date())} kl. {at:%H.%M}"


def _month_name(period: str) -> str:
    year, month = period.split("-")
    return f"{MONTH_NAMES[int(month) - 1]} {year}"


@pass_context
def _portal_link(context, *path: str) -> str:
    """A page in the portal (PORTAL_URL), where the person signs in: portal_link("oppdragsavtaler", id)."""
    return "/".join([context["portal_url"].rstrip("/"), *(str(part).strip("/") for part in path)])


def _environment(autoescape: bool) -> Environment:
    environment = Environment(loader=FileSystemLoader(TEMPLATES), undefined=StrictUndefined,
                              autoescape=select_autoescape(["html"]) if autoescape else False,
                              keep_trailing_newline=True)
    environment.filters["norwegian_date"] = _norwegian_date
    environment.filters["month_name"] = _month_name
    environment.filters["moment"] = _moment
    environment.globals["portal_link"] = _portal_link
    return environment


_TEXT = _environment(autoescape=False)
_HTML = _environment(autoescape=True)


def render(kind: str, details: dict, kommune: str, kommune_phone: str, portal_url: str,
           staff_url: str) -> Rendered:
    folder = KINDS[kind].template
    context = {"kommune": kommune, "kommune_phone": kommune_phone, "portal_url": portal_url,
               "staff_url": staff_url, "details": details, "kind": kind}
    return Rendered(
        subject=" ".join(_TEXT.get_template(f"{folder}/subject.txt").render(context).split()),
        text=_TEXT.get_template(f"{folder}/body.txt").render(context),
        html=_HTML.get_template(f"{folder}/body.html").render(context),
        sms=" ".join(_TEXT.get_template(f"{folder}/sms.txt").render(context).split()),
    )
