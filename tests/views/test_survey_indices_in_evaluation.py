"""The unit's satisfaction index beside the unit predikat and on the review page of the
employees who deliver the unit's services."""

from __future__ import annotations

from flask.testing import FlaskClient

from kinerja.domain.survey import ikm
from kinerja.extensions import db
from kinerja.security.policies import SYSTEM
from kinerja.services.surveys.indices import compute_survey_indices
from tests.factories import Org, Planning, Reporting, login, submitted_report
from tests.survey_factories import add_responses, make_service, make_survey

ANSWERS = [[4, 3, 3, 4, 4, 3, 4, 3, 4], [3, 3, 2, 4, 3, 3, 4, 3, 3]]


def _survey_delivered_by_epidemiologists(org: Org, planning: Planning) -> str:
    service = make_service(org.units.surv, "Surveilans Penyakit", positions=[org.positions.epid])
    add_responses(make_survey(service, planning.period), ANSWERS)
    db.session.commit()
    compute_survey_indices(None, None, SYSTEM)
    return f"{ikm(ANSWERS).value}"


def test_the_unit_predikat_screen_shows_the_units_index(
    client: FlaskClient, org: Org, planning: Planning
) -> None:
    value = _survey_delivered_by_epidemiologists(org, planning)
    login(client, "operator")  # follows the Dinas Kesehatan units
    page = client.get(f"/unit-ratings/?period={planning.period.id}&_l_=en").get_data(as_text=True)
    row = page.split(f'class="unit-{org.units.surv.id}"')[1].split("</tr>")[0]
    assert value in row and "2 responses" in row
    other = page.split(f'class="unit-{org.units.p2p.id}"')[1].split("</tr>")[0]
    assert value not in other


def test_the_review_page_of_an_employee_delivering_the_service_shows_it(
    client: FlaskClient, org: Org, planning: Planning, reporting: Reporting
) -> None:
    value = _survey_delivered_by_epidemiologists(org, planning)
    report = submitted_report(reporting)
    login(client, "supervisor")
    page = client.get(f"/report/{report.id}/?_l_=en").get_data(as_text=True)
    assert report.employee.position_id == org.positions.epid.id
    block = page.split('id="survey-indices"')[1].split("</div>")[0]
    assert value in block and "Surveilans Penyakit" in block and "Seksi Surveilans" in block


def test_no_index_on_the_review_page_of_someone_delivering_no_service(
    client: FlaskClient, org: Org, planning: Planning, reporting: Reporting
) -> None:
    make_service(org.units.surv, "Surveilans Penyakit", positions=[org.positions.perawat])
    db.session.commit()
    report = submitted_report(reporting)
    login(client, "supervisor")
    assert 'id="survey-indices"' not in client.get(f"/report/{report.id}/").get_data(as_text=True)
