"""The dev and test stack's mail and SMS: a real SMTP server (aiosmtpd) and an SMS gateway sink, both on
free ports in threads of the launcher, each keeping every message it accepts as a file.

- SMTP: every message accepted is one `.eml` file under `<var>/mail/` (named by the time it arrived, so
  they sort in order), exactly as received, with the envelope's sender and recipients in two headers
  added on top (`X-Envelope-From`, `X-Envelope-To`). A message sent twice is kept twice: the files are
  what the server saw.
- SMS: `POST /messages` with JSON `{"to": "+4791234567", "text": "...", "reference": "..."}` answers
  `{"id": "..."}` and keeps the message as a `.json` file under `<var>/sms/`; `GET /messages` lists them.
  It stands in for the kommune's SMS gateway, which notifications reaches over HTTP.

Files are written beside their final name and renamed, so a reader never sees half a message.
"""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from uuid import uuid4

from aiosmtpd.controller import Controller

from brobygger_dev.runtime.ports import free_port

MAX_SMS_BYTES = 16 * 1024


def _keep(directory: Path, suffix: str, content: bytes) -> Path:
    name = f"{time.time_ns()}-{uuid4().hex[:8]}{suffix}"
    partial = directory / f".{name}.partial"
    partial.write_bytes(content)
    return partial.replace(directory / name)


class _KeepEveryMessage:
    def __init__(self, directory: Path) -> None:
        self.directory = directory

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802 - aiosmtpd's hook name
        envelope_headers = (f"X-Envelope-From: {envelope.mail_from}\r\n"
                            f"X-Envelope-To: {', '.join(envelope.rcpt_tos)}\r\n").encode()
        content = envelope.original_content or envelope.content
        _keep(self.directory, ".eml", envelope_headers + content)
        return "250 Message accepted for delivery"


class MailServer:
    """aiosmtpd's Controller on a free port (it checks the port itself, so port 0 does not work)."""

    def __init__(self, directory: Path, port: int | None = None) -> None:
        self.directory = directory
        self.port = port or free_port()
        self._controller: Controller | None = None

    def start(self) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        self._controller = Controller(_KeepEveryMessage(self.directory), hostname="127.0.0.1", port=self.port,
                                      ready_timeout=30)
        self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            controller, self._controller = self._controller, None
            controller.stop()

    def describe(self) -> dict:
        return {"host": "127.0.0.1", "port": self.port, "directory": str(self.directory)}


class SmsSink:
    """A small HTTP server that records each SMS it is asked to send."""

    def __init__(self, directory: Path, port: int | None = None) -> None:
        self.directory = directory
        self.port = port or free_port()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        directory = self.directory

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                length = int(self.headers.get("content-length") or 0)
                if self.path != "/messages" or not 0 < length <= MAX_SMS_BYTES:
                    self._answer(404 if self.path != "/messages" else 400, {"error": "POST /messages with JSON"})
                    return
                try:
                    message = json.loads(self.rfile.read(length))
                    to, text = str(message["to"]), str(message["text"])
                except (ValueError, KeyError, TypeError):
                    self._answer(400, {"error": "to and text are required"})
                    return
                message_id = str(uuid4())
                record = {"id": message_id, "to": to, "text": text, "reference": message.get("reference"),
                          "received_at": time.time()}
                _keep(directory, ".json", json.dumps(record, ensure_ascii=False).encode())
                self._answer(200, {"id": message_id})

            def do_GET(self) -> None:  # noqa: N802
                if self.path != "/messages":
                    self._answer(404, {"error": "not found"})
                    return
                self._answer(200, [json.loads(path.read_text()) for path in sorted(directory.glob("*.json"))])

            def _answer(self, status: int, body) -> None:
                payload = json.dumps(body, ensure_ascii=False).encode()
                self.send_response(status)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args) -> None:  # no request lines (they would show phone numbers)
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, name="brobygger-sms-sink", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        if self._server is not None:
            server, self._server = self._server, None
            server.shutdown()
            server.server_close()

    def describe(self) -> dict:
        return {"url": self.url, "directory": str(self.directory)}
