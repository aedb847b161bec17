"""marshmallow's own messages in the reader's language.

marshmallow formats some of its messages with values (``Must be one of: a, b.``,
``Length must be between 1 and 200.``), so a plain catalogue lookup of the finished text
finds nothing. Each template below is marked for the catalogues; a finished message is
matched against them and translated by its template, then filled with the same values.
"""

from __future__ import annotations

import re
from functools import cache

from flask_babel import gettext

from kinerja.domain.errors import N_

# marshmallow 3's messages (fields and validators), as the catalogues know them.
MARSHMALLOW_MESSAGES = (
    N_("Unknown field."),
    N_("Missing data for required field."),
    N_("Field may not be null."),
    N_("Invalid input type."),
    N_("Invalid input."),
    N_("Invalid type."),
    N_("Invalid value."),
    N_("Not a valid string."),
    N_("Not a valid utf-8 string."),
    N_("Not a valid integer."),
    N_("Not a valid number."),
    N_("Number too large."),
    N_("Special numeric values (nan or infinity) are not permitted."),
    N_("Not a valid boolean."),
    N_("Not a valid date."),
    N_("Not a valid datetime."),
    N_("Not a valid time."),
    N_("Not a valid naive datetime."),
    N_("Not a valid aware datetime."),
    N_("Not a valid period of time."),
    N_("Not a valid mapping type."),
    N_("Not a valid list."),
    N_("Not a valid tuple."),
    N_("Not a valid email address."),
    N_("Not a valid URL."),
    N_("Not a valid UUID."),
    N_("Not a valid choice."),
    N_("This field is required."),
    N_("String does not match expected pattern."),
    N_("Must be one of: {choices}."),
    N_("Must be equal to {other}."),
    N_("Length must be between {min} and {max}."),
    N_("Length must be {equal}."),
    N_("Shorter than minimum length {min}."),
    N_("Longer than maximum length {max}."),
    N_("Must be greater than or equal to {min}."),
    N_("Must be greater than {min}."),
    N_("Must be less than or equal to {max}."),
    N_("Must be less than {max}."),
    N_("Must be greater than or equal to {min} and less than or equal to {max}."),
    N_("Must be greater than {min} and less than {max}."),
    N_("Must be greater than or equal to {min} and less than {max}."),
    N_("Must be greater than {min} and less than or equal to {max}."),
    N_("One or more of the choices you made was not in: {choices}."),
    N_("One or more of the choices you made was in: {values}."),
)

_PLACEHOLDER = re.compile(r"\{(\w+)\}")


@cache
def _patterns() -> tuple[tuple[re.Pattern[str], str], ...]:
    """Each template with values as a pattern capturing them, longest first (the most
    specific range message wins)."""
    found = []
    for template in MARSHMALLOW_MESSAGES:
        if not _PLACEHOLDER.search(template):
            continue
        parts = _PLACEHOLDER.split(template)
        regex = "".join(
            re.escape(part) if index % 2 == 0 else f"(?P<{part}>.+?)"
            for index, part in enumerate(parts)
        )
        found.append((re.compile(f"^{regex}$", re.S), template))
    found.sort(key=lambda pair: -len(pair[1]))
    return tuple(found)


def translate_message(text: str) -> str:
    """``text`` in the reader's language: by its template when it is a filled-in one."""
    for pattern, template in _patterns():
        matched = pattern.match(text)
        if matched is not None:
            try:
                return gettext(template).format(**matched.groupdict())
            except (KeyError, IndexError, ValueError):  # a translation that lost a value
                return text
    return gettext(text)
