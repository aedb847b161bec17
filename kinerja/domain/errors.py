"""Errors raised by pure rules and use cases, translatable where they are shown."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

__all__ = ["N_", "AccessDenied", "ConflictError", "DomainError", "FieldErrors", "NotFoundError"]


def N_(text: str) -> str:
    """Marks a message for extraction; it is translated where it is shown."""
    return text


class DomainError(ValueError):
    """A rule was broken. ``template % params`` is the English message; the UI translates
    ``template`` and formats it with ``params``."""

    def __init__(self, template: str, **params: object) -> None:
        self.template = template
        self.params = params
        super().__init__(template % params if params else template)


class ConflictError(DomainError):
    """The request is valid but the current state does not allow it (HTTP 409)."""


class NotFoundError(DomainError):
    """The row does not exist, or is outside the person's reach (HTTP 404: ids cannot be
    probed)."""

    def __init__(self, template: str = "Not found or not within your reach.", **params: object):
        super().__init__(template, **params)


class AccessDenied(DomainError, PermissionError):
    """The person may see the row but not take this step on it (HTTP 403)."""

    def __init__(self, template: str = "You may not do this.", **params: object) -> None:
        super().__init__(template, **params)


class FieldErrors(DomainError):
    """Errors keyed by field name, each a list of :class:`DomainError`.

    Raised by validation of a use case so that API (422 with ``"fields": {field: [...]}``),
    forms and imports can all say which field is wrong.
    """

    def __init__(self, errors: Mapping[str, Iterable[DomainError]]) -> None:
        self.errors = {field: list(errs) for field, errs in errors.items() if errs}
        first = next(iter(self.errors.items()), ("", [DomainError("invalid")]))
        super().__init__("%(field)s: %(error)s", field=first[0], error=str(first[1][0]))

    @classmethod
    def single(cls, field: str, template: str, **params: object) -> FieldErrors:
        return cls({field: [DomainError(template, **params)]})
