"""Refused use cases, shared by every app's services and the views and API that answer them.

Each app's services raise these; pages show the message (next to `field` if one is named) and
the API turns them into 400 or 409 (api/errors.py). They live outside the apps so that no app
imports another just to refuse a request.
"""


class ServiceError(Exception):
    """A refused use case. The message is written for the user who asked; `field` names the
    input it is about, if one, so a form can show it next to that field."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class NotAllowed(ServiceError):
    """The user may not do this to this object (role, force or state)."""


class InvalidInput(ServiceError):
    """The request is incomplete or inconsistent (e.g. a required reason is missing)."""


class StaleDecision(ServiceError):
    """The decision was made on a page that no longer shows the item's current state."""
