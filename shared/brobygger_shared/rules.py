"""What a domain model raises when a command breaks one of its rules. Plain Python, so every domain
may import it; the message is Norwegian, for whoever gave the command. Every service answers it with
409 and that message (`problems.install_problem_handlers`)."""


class RuleViolation(Exception):
    """A command the aggregate's state, or the kommune's rules, do not allow; the message says why."""


def require(condition: bool, message: str) -> None:
    if not condition:
        raise RuleViolation(message)
