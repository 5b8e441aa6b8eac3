"""The reports: one SQL file per report in `sql/reports/`, run against the replayed DuckDB file, shown
on one HTML page in bokmål with a table and a chart (Vega-Altair, rendered to SVG by vl-convert on
this machine: the page needs no network and no JavaScript).

A report file starts with comment lines: `-- tittel: ...`, then the description; the rest is the
query. Its columns are the table's headings as they stand.

The page has no inline style or script (the gateway shows it to leaders under a Content-Security-Policy
that allows neither): its stylesheet, `report.css`, is written beside it, and the report itself stands
between the comments `<!-- rapport:start -->` and `<!-- rapport:end -->`, for a page that embeds it.
"""

import os
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import Any

import altair as alt
import duckdb
import vl_convert
from jinja2 import Environment, PackageLoader, select_autoescape

from brobygger_analytics.replay import OSLO


@dataclass
class Report:
    name: str
    title: str
    description: str
    sql: str
    columns: list[str] = field(default_factory=list)
    rows: list[tuple] = field(default_factory=list)
    chart_svg: str = ""

    def records(self) -> list[dict[str, Any]]:
        return [dict(zip(self.columns, row)) for row in self.rows]


def definitions() -> list[Report]:
    folder = resources.files("brobygger_analytics") / "sql" / "reports"
    reports = []
    for entry in sorted((e for e in folder.iterdir() if e.name.endswith(".sql")), key=lambda e: e.name):
        text = entry.read_text(encoding="utf-8")
        title, description = entry.name, []
        for line in text.splitlines():
            if not line.startswith("--"):
                break
            body = line[2:].strip()
            if body.startswith("tittel:"):
                title = body.removeprefix("tittel:").strip()
            else:
                description.append(body)
        reports.append(Report(entry.name.removesuffix(".sql"), title, " ".join(description), text))
    return reports


def run(connection: duckdb.DuckDBPyConnection) -> list[Report]:
    """Every report's rows (no charts)."""
    reports = definitions()
    for report in reports:
        result = connection.execute(report.sql)
        report.columns = [column[0] for column in result.description]
        report.rows = result.fetchall()
    return reports


def write_html(database: Path, out: Path) -> list[Report]:
    """Run the reports on `database` and write the page to `out` (a file beside it, then renamed)."""
    connection = duckdb.connect(str(database), read_only=True)
    try:
        reports = run(connection)
        info = dict(zip([c[0] for c in connection.execute("SELECT * FROM replay_info").description],
                        connection.execute("SELECT * FROM replay_info").fetchone()))
    finally:
        connection.close()
    for report in reports:
        chart = CHARTS.get(report.name)
        if chart and report.rows:
            report.chart_svg = vl_convert.vegalite_to_svg(chart(_chart_data(report)).to_dict())
    environment = Environment(loader=PackageLoader("brobygger_analytics"), autoescape=select_autoescape())
    environment.filters["number"] = number
    page = environment.get_template("report.html").render(
        reports=reports, info=info, made=datetime.now(OSLO).strftime("%d.%m.%Y %H:%M"), date=norwegian_date)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    stylesheet = (resources.files("brobygger_analytics") / "templates" / STYLESHEET).read_text(encoding="utf-8")
    for path, text in ((out.with_name(STYLESHEET), stylesheet), (out, page)):
        partial = path.with_name(f".{path.name}.{os.getpid()}.partial")
        partial.write_text(text, encoding="utf-8")
        os.replace(partial, path)
    return reports


STYLESHEET = "report.css"  # beside the page, which links it


def number(value: Any) -> str:
    """A value as a Norwegian reads it: 1 234,5; a date as 17.11.2026; nothing as a dash."""
    if value is None:
        return "–"
    if isinstance(value, bool):
        return "ja" if value else "nei"
    if isinstance(value, int):  # four digits stay together (years, codes): 2026, 12\u00a0345
        return str(value) if abs(value) < 10_000 else f"{value:,}".replace(",", "\u00a0")
    if isinstance(value, Decimal | float):
        text = f"{value:,.2f}" if isinstance(value, Decimal) else f"{value:,.1f}"
        return text.replace(",", "\u00a0").replace(".", ",")
    if isinstance(value, date):
        return norwegian_date(value)
    return str(value)


def norwegian_date(value: date | None) -> str:
    return value.strftime("%d.%m.%Y") if value else "–"


def _chart_data(report: Report) -> list[dict[str, Any]]:
    def plain(value: Any) -> Any:
        return float(value) if isinstance(value, Decimal) else value

    return [{column: plain(value) for column, value in row.items()} for row in report.records()]


def _axis(name: str, kind: str, **options: Any) -> dict[str, Any]:
    return {"field": name, "type": kind, **options}


def _kpr(data: list[dict]) -> alt.Chart:
    order = ["0–5", "6–12", "13–17", "18–29", "30–49", "50–66", "67+"]
    return alt.Chart(alt.Data(values=data)).mark_bar().encode(
        x=alt.X(**_axis("Aldersgruppe", "ordinal", sort=order)),
        xOffset=alt.XOffset(**_axis("Tjeneste", "nominal")),
        y=alt.Y(**_axis("Personer", "quantitative", aggregate="sum", title="Personer")),
        color=alt.Color(**_axis("Tjeneste", "nominal")),
        column=alt.Column(**_axis("År", "ordinal")),
    ).properties(width=320, height=220)


def _waiting(data: list[dict]) -> alt.Chart:
    return alt.Chart(alt.Data(values=data)).mark_bar().encode(
        x=alt.X(**_axis("Måned", "ordinal")),
        xOffset=alt.XOffset(**_axis("Ordning", "nominal")),
        y=alt.Y(**_axis("Median (dager)", "quantitative")),
        color=alt.Color(**_axis("Ordning", "nominal")),
    ).properties(width=560, height=240)


def _hours(data: list[dict]) -> alt.Chart:
    return alt.Chart(alt.Data(values=data)).mark_circle(size=70).encode(
        x=alt.X(**_axis("Innvilget", "quantitative")),
        y=alt.Y(**_axis("Levert", "quantitative")),
        color=alt.Color(**_axis("Ordning", "nominal")),
        shape=alt.Shape(**_axis("Enhet", "nominal")),
    ).properties(width=560, height=260)


def _cost(data: list[dict]) -> alt.Chart:
    return alt.Chart(alt.Data(values=data)).mark_bar().encode(
        x=alt.X(**_axis("Måned", "ordinal")),
        y=alt.Y(**_axis("Sum (kr)", "quantitative", aggregate="sum", title="Kostnad (kr)")),
        color=alt.Color(**_axis("Ordning", "nominal")),
    ).properties(width=560, height=220)


def _funnel(data: list[dict]) -> alt.Chart:
    return alt.Chart(alt.Data(values=data)).mark_bar().encode(
        y=alt.Y(**_axis("Steg", "nominal", sort=None)),
        x=alt.X(**_axis("Personer", "quantitative")),
    ).properties(width=560, height=180)


def _declined(data: list[dict]) -> alt.Chart:
    return alt.Chart(alt.Data(values=data)).mark_bar().encode(
        y=alt.Y(**_axis("Begrunnelse", "nominal", sort="-x")),
        x=alt.X(**_axis("Antall", "quantitative", aggregate="sum", title="Antall")),
        color=alt.Color(**_axis("Avslått av", "nominal")),
    ).properties(width=480, height=alt.Step(24))


CHARTS = {
    "01_kpr": _kpr,
    "02_waiting_time": _waiting,
    "03_hours": _hours,
    "04_cost": _cost,
    "05_funnel": _funnel,
    "06_declined": _declined,
}
