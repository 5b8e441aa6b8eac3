"""`brobygger`: run the whole system on the embedded default, and small tools around it.

Each command imports what it needs when it runs: `brobygger token` must not pay for the embedded
runtime, FastAPI or the settings (it printed a token in 11 seconds when this module imported them).
"""

import json
import os
import signal
import threading
from pathlib import Path
from urllib.parse import urlsplit

import typer

app = typer.Typer(help="Brobygger: støttekontakt, avlastning og besøkshjem, from søknad to pay.", no_args_is_help=True)

VAR = Path("var")


@app.command()
def up(var_dir: Path = typer.Option(VAR, help="Where data, logs and runtime.json are kept")) -> None:
    """Start PostgreSQL, the broker and the seven services; Ctrl-C stops all of it."""
    from brobygger_dev.runtime.stack import Stack

    stack = Stack.from_environment(var_dir)
    stopping = threading.Event()
    for signal_number in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signal_number, lambda *_: stopping.set())
    try:
        typer.echo("Starter PostgreSQL, Kafka-megleren og tjenestene ...")
        stack.start()
        description = stack.describe()
        gateway = description["services"].get("gateway")
        if gateway:
            typer.echo(f"Brobygger for ansatte: {gateway['url']}/   (logg inn som en av de syntetiske ansatte i README)")
        typer.echo(f"Innlogging (ansatte, syntetisk): {description['oidc']['staff']['url']}")
        if gateway:
            typer.echo(f"Selvbetjening (innbyggere og oppdragstakere): {gateway['url']}/portal")
        idporten = description["oidc"]["idporten"]
        typer.echo(f"Innlogging (ID-porten, syntetisk): {idporten['url']}   personer (syntetiske fødselsnumre):")
        for person in idporten["persons"]:
            typer.echo(f"  {person['sub']:<20}{person['name']:<22}{person['pid']}  {person['acr']}")
        typer.echo(f"  barn av {idporten['child']['parent']}: {idporten['child']['name']} {idporten['child']['pid']}")
        typer.echo(f"PostgreSQL: {description['postgres']['url']}")
        typer.echo(f"Kafka:      {description['kafka']['bootstrap_servers']}")
        typer.echo(f"E-post (SMTP): 127.0.0.1:{description['mail']['port']}   (sendt e-post: {description['mail']['directory']})")
        typer.echo(f"SMS-mottak:    {description['sms']['url']}/messages   (sendte SMS: {description['sms']['directory']})")
        typer.echo(f"Arkivpakker:   {stack.var_dir / 'archive'}   (én mappe per arkivmelding)")
        for name, service in description["services"].items():
            typer.echo(f"{name:<14}{service['url']}   (API-dokumentasjon: {service['url']}/docs)")
        typer.echo(f"Alt kjører. Adressene står i {var_dir / 'runtime.json'}. Trykk Ctrl-C for å stoppe.")
        while not stopping.wait(0.5):
            pass
    finally:
        typer.echo("Stopper ...")
        stack.stop()
        typer.echo("Stoppet.")


@app.command()
def status(var_dir: Path = typer.Option(VAR)) -> None:
    """Show where each part listens, its state and restarts under the launcher, and whether it is ready."""
    import httpx

    runtime = json.loads((var_dir / "runtime.json").read_text())
    launcher = runtime.get("launcher_pid")
    if launcher and not _alive(launcher):
        typer.echo(f"The launcher (pid {launcher}) is not running; the states below are from when it stopped.")
    typer.echo(f"{'':<14}{'address':<28}{'state':<10}{'restarts':>8}  ready")
    for name, address in (("postgres", urlsplit(runtime["postgres"]["url"]).netloc.rsplit("@", 1)[-1]),
                          ("kafka", runtime["kafka"]["bootstrap_servers"])):
        if "state" in runtime[name]:
            typer.echo(_line(name, address, runtime[name], ready=""))
    for name, service in runtime["services"].items():
        try:
            ready = httpx.get(f"{service['url']}/readyz", timeout=2).status_code == 200
        except httpx.HTTPError:
            ready = False
        typer.echo(_line(name, service["url"], service, ready="klar" if ready else "ikke klar"))


def _line(name: str, address: str, part: dict, ready: str) -> str:
    line = f"{name:<14}{address:<28}{part.get('state', '?'):<10}{part.get('restarts', 0):>8}  {ready}"
    if part.get("last_exit"):
        line += f"   (last exit: {part['last_exit']})"
    return line.rstrip()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except PermissionError:
        return True
    except OSError:
        return False
    return True


@app.command()
def schemas(out_dir: Path = typer.Argument(Path("schemas"))) -> None:
    """Write the JSON Schema of every integration event."""
    from brobygger_shared.events import registry

    out_dir.mkdir(parents=True, exist_ok=True)
    for name, schema in registry.json_schemas().items():
        (out_dir / f"{name}.json").write_text(json.dumps(schema, indent=2, ensure_ascii=False))
        typer.echo(out_dir / f"{name}.json")


@app.command()
def token(
    user: str = typer.Option("saksbehandler", help="User id to sign in as"),
    roles: str = typer.Option("saksbehandler", help="Comma-separated roles, e.g. saksbehandler,barnevern"),
) -> None:
    """Print a token (staff, or an oppdragstaker) signed with the dev key, or AUTH_PRIVATE_KEY if set, for
    scripts and curl."""
    from brobygger_shared.dev_keys import DEV_AUTH_PRIVATE_KEY
    from brobygger_shared.tokens import issue_token

    private_key = os.environ.get("AUTH_PRIVATE_KEY", DEV_AUTH_PRIVATE_KEY)
    typer.echo(issue_token(private_key, user, [role for role in roles.split(",") if role]))
