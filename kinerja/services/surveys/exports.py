"""The survey responses and results as CSV or XLSX files, with exactly the rows the reader's
policy allows (responses: the Admin, the Integrator, a unit's Operator; results: whoever
reads the unit), streamed in batches through a session of their own (the body is written
after the request's own session is gone).

Responses carry no personal data beyond the coarse profile; the browser key stays out.
Every CSV cell is made inert (:func:`kinerja.services.spreadsheets.inert`); XLSX cells are
typed, text is never a formula.
"""

from __future__ import annotations

import csv
import io
import itertools
import tempfile
from collections.abc import Callable, Iterator, Sequence
from enum import Enum
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from sqlalchemy import Select, select
from sqlalchemy.orm import Session, contains_eager

from kinerja.domain.errors import N_
from kinerja.extensions import db
from kinerja.models.org import Unit
from kinerja.models.planning import Period
from kinerja.models.surveys import ANSWER_COLUMNS, Service, Survey, SurveyResponse, SurveyResult
from kinerja.security.policies import survey_responses
from kinerja.security.policies.scope import Scope
from kinerja.services.spreadsheets import (
    WIDTH_SAMPLE,
    column_widths,
    finish_sheet,
    inert,
    start_sheet,
)
from kinerja.services.surveys.results import (
    ELEMENT_LABELS,
    Filters,
    grade_label,
    listed_results,
    nrr_values,
    survey_filter,
)

BATCH = 1000
FORMATS = ("csv", "xlsx")
Translate = Callable[[str], str]

RESPONSE_HEADER = [
    N_("Unit"),
    N_("Service"),
    N_("Period"),
    N_("Survey opens"),
    N_("Submitted"),
    *ELEMENT_LABELS.values(),
    N_("Age"),
    N_("Sex"),
    N_("Education"),
    N_("Occupation"),
    N_("Comment"),
    N_("Comment published"),
]
RESULT_HEADER = [
    N_("Unit code"),
    N_("Unit"),
    N_("Service"),
    N_("Period"),
    N_("Survey opens"),
    N_("Survey closes"),
    N_("Responses"),
    N_("Required sample"),
    *ELEMENT_LABELS.values(),
    N_("IKM"),
    N_("Grade"),
    N_("Quality of service"),
    N_("Priorities"),
    N_("Computed"),
]


def _responses(scope: Scope, filters: Filters) -> Select[Any]:
    return (
        select(SurveyResponse, Survey, Service.name, Unit.name, Period.name)
        .join(Survey, Survey.id == SurveyResponse.survey_id)
        .join(Service, Service.id == Survey.service_id)
        .join(Unit, Unit.id == Service.unit_id)
        .join(Period, Period.id == Survey.period_id)
        .where(survey_responses.read(scope), *survey_filter(filters))
        .order_by(SurveyResponse.id)
    )


def response_rows(scope: Scope, filters: Filters, tr: Translate) -> Iterator[list[Any]]:
    """The responses one reads, one list of cells each, header first."""
    yield [tr(label) for label in RESPONSE_HEADER]
    with Session(bind=db.engine) as session:
        found = session.execute(_responses(scope, filters).execution_options(yield_per=BATCH))
        for response, survey, service, unit, period in found:
            yield [
                unit,
                service,
                period,
                survey.opens_on,
                response.submitted_at.replace(tzinfo=None),
                *[getattr(response, name) for name in ANSWER_COLUMNS],
                *[_label(getattr(response, name), tr) for name in _PROFILE],
                response.comment or "",
                tr(N_("Yes")) if response.comment_published else tr(N_("No")),
            ]


_PROFILE = ("age_range", "sex", "education", "occupation")


def _label(value: Enum | None, tr: Translate) -> str:
    return tr(getattr(value, "label", "")) if value is not None else ""


def result_rows(scope: Scope, filters: Filters, tr: Translate) -> Iterator[list[Any]]:
    """The surveys' results one reads, one list of cells each, header first."""
    yield [tr(label) for label in RESULT_HEADER]
    query = listed_results(scope, filters).order_by(Period.year.desc(), Unit.code, Service.name)
    with Session(bind=db.engine) as session:
        for result in session.scalars(query.options(contains_eager(SurveyResult.survey))):
            survey = result.survey
            label = grade_label(result.grade)
            yield [
                survey.service.unit.code,
                survey.service.unit.name,
                survey.service.name,
                survey.period.name,
                survey.opens_on,
                survey.closes_on,
                result.responses,
                result.required,
                *nrr_values(result),
                result.ikm,
                result.grade or "",
                tr(label) if label else "",
                ", ".join(tr(ELEMENT_LABELS[c]) for c in (result.priorities or "").split(",") if c),
                result.computed_at.replace(tzinfo=None),
            ]


def as_csv(rows: Iterator[Sequence[Any]]) -> Iterator[bytes]:
    """CSV (UTF-8 with BOM for spreadsheet programs), inert cells, in chunks."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")
    for index, row in enumerate(rows, start=1):
        writer.writerow([inert(_text(cell)) for cell in row])
        if index % BATCH == 0:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode("utf-8")


def _text(cell: Any) -> Any:
    return "" if cell is None else cell if isinstance(cell, str) else str(cell)


def _xlsx_cell(sheet: Any, value: Any) -> Any:
    """Text that openpyxl would store as a formula (``=…``) is stored as the text it is."""
    if isinstance(value, str) and value.startswith("="):
        cell = WriteOnlyCell(sheet, value)
        cell.data_type = "s"
        return cell
    return value


def as_xlsx(rows: Iterator[Sequence[Any]], chunk: int = 64 * 1024) -> Iterator[bytes]:
    """An XLSX workbook of one sheet (written row by row, then sent in chunks); the first
    row is the header, frozen and filtered as in every file we write."""
    ahead = list(itertools.islice(rows, WIDTH_SAMPLE + 1))
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Data")
    if ahead:
        start_sheet(sheet, column_widths(ahead[0], ahead[1:]))
    count = 0
    for row in itertools.chain(ahead, rows):
        sheet.append([_xlsx_cell(sheet, cell) for cell in row])
        count += 1
    finish_sheet(sheet, len(ahead[0]) if ahead else 0, max(count - 1, 0))
    with tempfile.TemporaryFile() as handle:
        workbook.save(handle)
        handle.seek(0)
        while data := handle.read(chunk):
            yield data
