"""`brobygger-analytics`: replay the event log into DuckDB, and write the report page from it."""

from datetime import date
from pathlib import Path

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from brobygger_analytics import reports
from brobygger_analytics.replay import replay as run_replay
from brobygger_analytics.settings import AnalyticsSettings, NoBroker
from brobygger_shared.shredding import open_key_vault_at

app = typer.Typer(help="Analyse: hendelsesloggen inn i DuckDB, og rapporter fra den.", no_args_is_help=True,
                  add_completion=False)
console = Console(stderr=True)

STAGES = {"read": "Leser hendelser", "decode": "Dekoder typer", "tables": "Lager tabeller", "derived": "Avledede tabeller"}


@app.command()
def replay(
    out: Path = typer.Option(Path("var/analytics.duckdb"), help="DuckDB-filen som bygges på nytt."),
    as_of: str = typer.Option(None, "--as-of", help="Bare det som var kjent ved utgangen av denne dagen (ÅÅÅÅ-MM-DD)."),
    quiet: bool = typer.Option(False, "--quiet", help="Ingen fremdriftsvisning."),
) -> None:
    """Les alle brobygger.*.events-emner fra start og bygg DuckDB-filen."""
    day = _date(as_of)
    settings = AnalyticsSettings()
    try:
        bootstrap = settings.bootstrap_servers()
    except NoBroker as error:
        console.print(f"[red]{error}[/red]")
        raise typer.Exit(2) from None
    if settings.key_vault_url:  # to read birth years from sealed birth dates (read only: no key is made)
        open_key_vault_at(settings.key_vault_url, read_only=True)
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                  console=console, disable=quiet, transient=False) as progress:
        tasks: dict[str, int] = {}

        def show(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = progress.add_task(STAGES.get(stage, stage), total=total or None)
            progress.update(tasks[stage], completed=done, total=total or None)

        result = run_replay(bootstrap, out, settings.key(), as_of=day, kommune=settings.kommune_name, progress=show)
        for task in tasks.values():
            progress.update(task, completed=progress.tasks[task].total or 1, total=progress.tasks[task].total or 1)
    console.print(f"{result.total:,} hendelser fra {result.read.messages:,} meldinger på {result.seconds:.1f} s "
                  f"({result.read.messages / max(result.seconds, 1e-9):,.0f} meldinger/s) til {out}"
                  .replace(",", " "))
    if result.upcast:
        console.print(f"{result.upcast} hendelser lest fra eldre versjoner")
    if result.skipped:
        console.print(f"[yellow]{result.skipped} meldinger kunne ikke leses (se tabellen replay_skipped)[/yellow]")
    if result.unknown:
        kinds = ", ".join(f"{t} v{v} ({n})" for (t, v), n in sorted(result.unknown.items()))
        console.print(f"Ukjente typer hoppet over: {kinds}")
    if result.read.short:
        console.print(f"[yellow]Loggen tok slutt før forventet på: {', '.join(result.read.short)}[/yellow]")
    if day:
        console.print(f"Slik det var ved utgangen av {day:%d.%m.%Y}")


@app.command()
def report(
    out: Path = typer.Option(Path("var/report.html"), help="HTML-siden som skrives."),
    database: Path = typer.Option(Path("var/analytics.duckdb"), help="DuckDB-filen fra replay."),
) -> None:
    """Kjør rapportene (SQL-filene) mot DuckDB-filen og skriv én HTML-side med tabeller og diagrammer."""
    if not database.exists():
        console.print(f"[red]Finner ikke {database}: kjør `brobygger-analytics replay` først.[/red]")
        raise typer.Exit(2)
    written = reports.write_html(database, out)
    console.print(f"{len(written)} rapporter skrevet til {out}")


def _date(text: str | None) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise typer.BadParameter("Datoen må skrives ÅÅÅÅ-MM-DD, for eksempel 2026-06-30.", param_hint="--as-of") from None


if __name__ == "__main__":
    app()
