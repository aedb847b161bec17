"""Contact details: email addresses are checked by ``email-validator`` (syntax and domain
form, no network look-up), never by a home-made pattern."""

from __future__ import annotations

from email_validator import EmailNotValidError, validate_email

from kinerja.domain.errors import N_, DomainError

__all__ = ["normalise_email"]


def normalise_email(text: str) -> str:
    """The address in its normal form (trimmed, domain in lower case); raises
    :class:`DomainError` when it is not a deliverable-looking address."""
    try:
        return validate_email(text.strip(), check_deliverability=False).normalized
    except EmailNotValidError:
        raise DomainError(N_("Not a valid email address.")) from None
