"""The reservation register (KRR, Kontakt- og reservasjonsregisteret): whether a person has reserved
themselves against digital contact from the public sector.

The kommune asks it at every sending of an important letter (a vedtak, a foreløpig svar, a refusal),
by the person's identity number, and must not send the letter digitally to a person who has reserved
themselves: the letter becomes a staff task, "send i posten". Service messages and reminders may still
go. KRR's answers may not be copied into local registers, so the answer is used for the one sending
and not kept.

The identity number reaches notifications in a field of its own on ApplicationReceived and
VolunteerApplicationReceived (`national_id`, only when the person gave an e-mail or a mobile), and is
kept in the person's Contact beside the contact details, so that it is erased with them.

- `ReservationRegister`: the interface the sender asks.
- `DevReservationRegister`: dev and tests, a list of reserved synthetic identity numbers (a setting,
  or a file with one a line).
- `NoReservationRegister`: where no register is connected (production until the real client is):
  nobody can be looked up, so every important letter goes by post.

The real register is `POST /rest/v1/personer` with the identity numbers, authorised by a Maskinporten
token (scope `krr:global/kontaktinformasjon.read`); its client would implement the same interface.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from brobygger_shared.identity import IdentityKind, parse_identity_number


class RegisterUnavailable(Exception):
    """The register did not answer now (tried again later); the reason names no person."""


class NotConnected(Exception):
    """No register is connected: whether anyone is reserved cannot be known (the letter goes by post)."""


class ReservationRegister(Protocol):
    async def reserved(self, national_id: str) -> bool:
        """Whether the person with this identity number is reserved against digital contact; raises
        RegisterUnavailable when the register does not answer now, NotConnected when there is none."""
        ...


@dataclass(frozen=True)
class DevReservationRegister:
    """Dev and tests: the synthetic identity numbers listed are reserved, everyone else is not."""

    reserved_numbers: frozenset[str]

    @classmethod
    def of(cls, numbers: Iterable[str]) -> "DevReservationRegister":
        """From the listed numbers (spaces and empty entries ignored); only synthetic numbers (month + 80,
        as in Skatteetaten's test population) are accepted, so no real person's number is configured."""
        valid = set()
        for number in (value.strip() for value in numbers):
            if not number:
                continue
            parsed = parse_identity_number(number)
            if parsed.kind != IdentityKind.SYNTHETIC:
                raise ValueError("the dev reservation register takes synthetic identity numbers only (month + 80)")
            valid.add(parsed.value)
        return cls(frozenset(valid))

    @classmethod
    def from_settings(cls, listed: str, file: str | None) -> "DevReservationRegister":
        """`listed`: comma-separated; `file`: one number a line, # starts a comment."""
        numbers = listed.split(",")
        if file:
            numbers += [line.split("#", 1)[0] for line in Path(file).read_text().splitlines()]
        return cls.of(numbers)

    async def reserved(self, national_id: str) -> bool:
        return national_id in self.reserved_numbers


class NoReservationRegister:
    """No register connected: whether anyone is reserved cannot be known."""

    async def reserved(self, national_id: str) -> bool:
        raise NotConnected("Reservasjonsregisteret (KRR) er ikke koblet til, så reservasjonen kan ikke sjekkes.")
