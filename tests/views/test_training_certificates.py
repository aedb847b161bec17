"""A training record's certificate: uploaded into the evidence store by whoever keeps the
record, replaced by a new one, downloaded by whoever reads the record, refused when its
content is not an accepted file."""

from __future__ import annotations

import io
from typing import Any

from kinerja.extensions import db
from kinerja.models.competency import TrainingRecord
from kinerja.models.reports import Attachment
from tests.development_factories import build_development
from tests.factories import Org, login

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def _upload(client: Any, record_id: int, content: bytes, name: str) -> Any:
    return client.post(
        f"/training-records/certificate/{record_id}",
        data={"file": (io.BytesIO(content), name)},
        content_type="multipart/form-data",
    )


def _record(record_id: int) -> TrainingRecord:
    db.session.expire_all()
    return db.session.get(TrainingRecord, record_id)


def test_the_operator_keeps_a_certificate_the_employee_downloads(client: Any, org: Org) -> None:
    made = build_development(org)
    record_id = made.records["epid1"]
    login(client, "operator")
    page = client.get(f"/training-records/show/{record_id}?_l_=en").get_data(as_text=True)
    assert 'id="certificate-form"' in page
    assert _upload(client, record_id, PDF, "sertifikat.pdf").status_code == 302
    first = _record(record_id).certificate
    assert first is not None and first.content_type == "application/pdf"
    first_id = first.id
    assert _upload(client, record_id, PDF + b"\n", "baru.pdf").status_code == 302
    replaced = _record(record_id).certificate
    assert replaced.original_name == "baru.pdf"
    assert db.session.get(Attachment, first_id) is None  # the old one went with it
    shown = client.get(f"/training-records/show/{record_id}").get_data(as_text=True)
    assert 'id="certificate-link">baru.pdf</a>' in shown
    login(client, "employee")  # Epidemiolog Satu reads their own record
    download = client.get(f"/training-records/certificate/{record_id}")
    assert download.status_code == 200 and download.data == PDF + b"\n"
    assert "attachment" in download.headers["Content-Disposition"]
    assert _upload(client, record_id, PDF, "x.pdf").status_code in (302, 403)
    assert _record(record_id).certificate.original_name == "baru.pdf"  # not theirs to change


def test_a_file_that_is_not_a_document_is_refused(client: Any, org: Org) -> None:
    made = build_development(org)
    record_id = made.records["epid1"]
    login(client, "operator")
    _upload(client, record_id, b"MZ\x90\x00\x03 not a pdf", "sertifikat.pdf")
    assert _record(record_id).certificate is None
    login(client, "other")  # Dishub's examiner reads nothing of Dinkes
    assert client.get(f"/training-records/certificate/{record_id}").status_code == 404
