"""The questionnaire of the public form: the nine elements with their question and four
answers (PermenPANRB 14/2017).

The Indonesian wording is the regulation's and is read as data from
``kinerja/data/skm_elements.csv``, never retyped: a translation catalogue could drift from
the regulation's words, a data file copied from it cannot. The English wording is ours,
marked for translation like any other text, and shown in every other language.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from flask_babel import gettext

from kinerja.domain.errors import N_
from kinerja.domain.survey import ELEMENTS

DATA_FILE = Path(__file__).resolve().parents[2] / "data" / "skm_elements.csv"
REGULATION_LANGUAGE = "id"

# code: (name, question, the four answers from 1 to 4), in English.
ENGLISH: dict[str, tuple[str, str, tuple[str, str, str, str]]] = {
    "requirements": (
        N_("Requirements"),
        N_("How well do the service's requirements fit the kind of service?"),
        (N_("Not suitable"), N_("Less suitable"), N_("Suitable"), N_("Very suitable")),
    ),
    "procedure": (
        N_("System, mechanism and procedure"),
        N_("How easy is the service procedure at this unit?"),
        (N_("Not easy"), N_("Not very easy"), N_("Easy"), N_("Very easy")),
    ),
    "time": (
        N_("Completion time"),
        N_("How fast was the service delivered?"),
        (N_("Not fast"), N_("Not very fast"), N_("Fast"), N_("Very fast")),
    ),
    "cost": (
        N_("Cost/fee"),
        N_("How fair is the cost or fee of the service?"),
        (N_("Very expensive"), N_("Rather expensive"), N_("Cheap"), N_("Free of charge")),
    ),
    "product": (
        N_("Service product"),
        N_("How well does what you received match the product stated in the service standard?"),
        (N_("Not suitable"), N_("Less suitable"), N_("Suitable"), N_("Very suitable")),
    ),
    "competence": (
        N_("Staff competence"),
        N_("How competent were the staff who served you?"),
        (N_("Not competent"), N_("Not very competent"), N_("Competent"), N_("Very competent")),
    ),
    "behaviour": (
        N_("Staff behaviour"),
        N_("How polite and friendly were the staff who served you?"),
        (
            N_("Not polite and friendly"),
            N_("Not very polite and friendly"),
            N_("Polite and friendly"),
            N_("Very polite and friendly"),
        ),
    ),
    "complaints": (
        N_("Handling of complaints, suggestions and feedback"),
        N_("How are complaints from service users handled?"),
        (
            N_("There is no way to complain"),
            N_("There is one, but it does not work"),
            N_("It works, but not fully"),
            N_("Complaints are handled well"),
        ),
    ),
    "facilities": (
        N_("Facilities"),
        N_("How good are the facilities and infrastructure?"),
        (N_("Poor"), N_("Fair"), N_("Good"), N_("Very good")),
    ),
}


@dataclass(frozen=True)
class Element:
    number: int  # 1–9: the answer's field is ``a<number>``
    code: str
    name: str
    question: str
    answers: tuple[str, str, str, str]  # the wording of the answers 1 to 4

    @property
    def field(self) -> str:
        return f"a{self.number}"


@cache
def regulation_wording() -> tuple[Element, ...]:
    """The nine elements in the regulation's Indonesian, in the order of the index."""
    with DATA_FILE.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    found = tuple(row["code"] for row in rows)
    if found != ELEMENTS:
        raise RuntimeError(f"{DATA_FILE.name} lists {found}, not the nine elements {ELEMENTS}")
    return tuple(
        Element(
            number=int(row["no"]),
            code=row["code"],
            name=row["name_id"],
            question=row["question_id"],
            answers=(row["option_1"], row["option_2"], row["option_3"], row["option_4"]),
        )
        for row in rows
    )


def questionnaire(language: str) -> tuple[Element, ...]:
    """The elements in ``language``: the regulation's words in Indonesian, else ours."""
    if language == REGULATION_LANGUAGE:
        return regulation_wording()
    elements = []
    for number, code in enumerate(ELEMENTS, start=1):
        name, question, answers = ENGLISH[code]
        elements.append(
            Element(
                number=number,
                code=code,
                name=gettext(name),
                question=gettext(question),
                answers=(
                    gettext(answers[0]),
                    gettext(answers[1]),
                    gettext(answers[2]),
                    gettext(answers[3]),
                ),
            )
        )
    return tuple(elements)
