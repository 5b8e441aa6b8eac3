"""What a domain model raises when a command breaks one of its rules. Plain Python, so every domain
may import it; the message is Norwegian, for whoever gave the command. Every service answers it with
409 and that message (`problems.install_problem_handlers`)."""


class RuleViolation(Exception):
    """A command the aggregate's state, or the kommune's rules, do not allow; the message says why."""


def require(condition: bool, message: str) -> None:
    if not condition:
        raise RuleViolation(message)


class InvalidValue(ValueError):
    """A value outside what the domain allows, found where only the domain knows the limit (a scope
    whose unit depends on the scheme). Answered with 422 naming the field, as a request model's own
    check would be."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def require_value(condition: bool, field: str, message: str) -> None:
    if not condition:
        raise InvalidValue(field, message)
