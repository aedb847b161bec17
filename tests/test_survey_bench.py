"""The survey benchmark: gunicorn on loopback takes submissions over HTTP, the index of the
bulk-loaded responses is timed, and the bench leaves nothing behind."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from kinerja.extensions import db
from kinerja.models.surveys import Survey, SurveyResponse

pytestmark = pytest.mark.slow


def test_the_survey_bench_ends_with_its_json_summary(app) -> None:
    result = app.test_cli_runner().invoke(
        args=["kinerja", "bench", "survey", "--responses", "500", "--submissions", "300"]
    )
    assert result.exit_code == 0, result.output
    lines = result.output.strip().splitlines()
    summary = json.loads(lines[-1])
    assert list(summary) == ["bench", "responses", "ikm_seconds", "submit_per_second"]
    assert (summary["bench"], summary["responses"]) == ("survey", 500)
    assert summary["ikm_seconds"] >= 0 and summary["submit_per_second"] > 0
    assert "300 of 300 submissions accepted" in result.output
    assert "saved by the server (200 of them warming up): 500" in result.output
    assert db.session.scalar(select(func.count(Survey.id))) == 0
    assert db.session.scalar(select(func.count(SurveyResponse.id))) == 0
