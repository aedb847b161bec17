"""A second browser for the session tests (another device of the same person)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import ThreadedClient


@pytest.fixture
def other_device(app: Flask) -> Iterator[FlaskClient]:
    app.test_client_class = ThreadedClient
    device = app.test_client()
    yield device
    if isinstance(device, ThreadedClient) and device._executor is not None:
        device._executor.shutdown()
