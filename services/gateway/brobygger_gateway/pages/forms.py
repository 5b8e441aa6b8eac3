"""A form as the person filled it in: what they typed (kept when it comes back with errors), the
message for each field the service or the gateway found wrong, and a message for the whole form (a
409's reason). Field names are the services' own (`scope`, `period_from`, …), so a 422's
`errors[].field` lands next to its input; a field the form does not show is listed in the summary."""

from dataclasses import dataclass, field
from uuid import uuid4

from starlette.requests import Request

from brobygger_gateway.application import InvalidInput, NotAllowed

# Every form carries a key the service gets as Idempotency-Key: a form sent twice (a double click,
# a reload of the POST) makes one change.
KEY_FIELD = "skjema"
NOT_VALUES = {"csrftoken", KEY_FIELD}


@dataclass
class FormState:
    values: dict[str, str] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    message: str = ""
    key: str = field(default_factory=lambda: str(uuid4()))
    name: str = ""  # the form's name where a page has several, so input ids stay unique

    def field_id(self, field_name: str) -> str:
        return f"felt-{self.name}-{field_name}" if self.name else f"felt-{field_name}"

    @classmethod
    async def read(cls, request: Request, name: str = "") -> "FormState":
        form = await request.form()
        values = {key: str(value).strip() for key, value in form.items() if key not in NOT_VALUES}
        return cls(values=values, key=str(form.get(KEY_FIELD) or uuid4())[:100], name=name)

    def value(self, name: str, default: str = "") -> str:
        return self.values.get(name, default)

    def text(self, name: str) -> str | None:
        return self.values.get(name) or None

    def number(self, name: str, required: bool = False) -> float | None:
        raw = self.values.get(name, "").replace(" ", "").replace(",", ".")
        if not raw:
            if required:
                self.errors[name] = "Fyll ut et tall."
            return None
        try:
            return float(raw)
        except ValueError:
            self.errors[name] = "Skriv et tall, for eksempel 10 eller 7,5."
            return None

    def choice(self, name: str, allowed: dict[str, str], message: str) -> str | None:
        value = self.values.get(name, "")
        if value not in allowed:
            self.errors[name] = message
            return None
        return value

    def refused(self, error: InvalidInput | NotAllowed) -> "FormState":
        """Take a service's 422 (each message by its field) or 409 (the reason for the whole form)."""
        if isinstance(error, InvalidInput):
            self.errors.update(error.errors)
            if not error.errors:
                self.message = error.detail
        else:
            self.message = error.detail
        return self

    def summary(self, shown: list[str]) -> list[tuple[str | None, str]]:
        """The error summary: (the input's id, or None for a field the form does not show; message)."""
        return [(self.field_id(name) if name in shown else None, message) for name, message in self.errors.items()]
