"""The example client ``docs/examples/mirror.py`` keeps an exact mirror with the change feed
alone, against a real HTTP server while several writers commit concurrently through the
use cases (creates, updates, deletes, rows written by two writers at once)."""

from __future__ import annotations

import importlib.util
import threading
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from flask import Flask
from flask_appbuilder import ModelRestApi
from sqlalchemy import select
from werkzeug.serving import make_server

from kinerja.extensions import db
from kinerja.models.org import Employee, Unit
from kinerja.security.policies import SYSTEM
from kinerja.services.changes.feed import models
from kinerja.services.org import delete_employee, delete_unit, save_employee, save_unit
from kinerja.views.changes import own_columns
from tests.factories import PASSWORD, Org, make_nip

ROOT = Path(__file__).resolve().parents[2]
WRITERS = 4
ROUNDS = 12


def _example() -> ModuleType:
    spec = importlib.util.spec_from_file_location("mirror", ROOT / "docs/examples/mirror.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def server(app: Flask) -> Iterator[str]:
    http = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=http.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{http.server_port}"
    http.shutdown()


class Syncs:
    """Counts the mirror's syncs; a writer waits for the next one after each round, so that
    syncs fall between (and amid) the writers' commits rather than after them all."""

    def __init__(self) -> None:
        self.count = 0
        self.changed = threading.Condition()

    def done(self) -> None:
        with self.changed:
            self.count += 1
            self.changed.notify_all()

    def wait_for_next(self, seen: int) -> None:
        with self.changed:
            self.changed.wait_for(lambda: self.count > seen, timeout=30)


def _write(
    app: Flask, ids: dict[str, int], writer: int, errors: list[BaseException], syncs: Syncs
) -> None:
    """One writer: each step its own use case (its own transaction)."""
    try:
        with app.app_context():
            parent = db.session.get(Unit, ids["dishub"])
            for step in range(ROUNDS):
                seen = syncs.count
                person = Employee(
                    nip=make_nip(start=f"2010{writer + 1:02d}"),
                    name=f"Penulis {writer}-{step}",
                    unit_id=ids["yankes"],
                    position_id=ids["perawat"],
                    employment_type="pns",
                    active=True,
                )
                save_employee(person, SYSTEM)
                person.name = f"Penulis {writer}-{step} (diubah)"
                save_employee(person, SYSTEM)
                shared = db.session.get(Unit, ids["yankes"])
                shared.name = f"Yankes oleh {writer}-{step}"  # every writer, the same row
                save_unit(shared, SYSTEM)
                if step % 3 == 0:
                    delete_employee(person, SYSTEM)
                unit = Unit(code=f"W{writer}.{step}", name=f"Unit {writer}-{step}", kind="bidang")
                unit.parent = parent
                unit.active = True
                save_unit(unit, SYSTEM)
                if step % 4 == 1:
                    delete_unit(unit, SYSTEM)
                syncs.wait_for_next(seen)
            db.session.remove()
    except BaseException as exc:  # reported by the test
        errors.append(exc)


def _database_rows(app: Flask) -> dict[tuple[str, int], dict[str, Any]]:
    """Every tracked row as the feed shows it, read straight from the database."""
    apis = {
        view.resource_name: view
        for view in app.appbuilder.baseviews  # type: ignore[attr-defined]
        if isinstance(view, ModelRestApi)
    }
    rows: dict[tuple[str, int], dict[str, Any]] = {}
    db.session.expire_all()
    for resource, model in models().items():
        api = apis[resource]
        for row in db.session.scalars(select(model)):
            dumped = api.show_model_schema.dump(row, many=False)
            rows[(resource, row.id)] = {k: v for k, v in dumped.items() if k in own_columns(api)}
    return rows


def test_the_example_mirror_matches_the_database_after_concurrent_writes(
    app: Flask, org: Org, server: str, tmp_path: Path
) -> None:
    example = _example()
    mirror = example.Mirror(
        server, example.login(server, "integrator", PASSWORD), str(tmp_path / "m.db"), 7
    )
    errors: list[BaseException] = []
    ids = {
        "dishub": org.units.dishub.id,
        "yankes": org.units.yankes.id,
        "perawat": org.positions.perawat.id,
    }
    db.session.remove()  # the writers' and the server's sessions are their own
    syncs = Syncs()
    writers = [
        threading.Thread(target=_write, args=(app, ids, n, errors, syncs)) for n in range(WRITERS)
    ]
    for writer in writers:
        writer.start()
    while any(writer.is_alive() for writer in writers):
        mirror.sync()  # while the writers commit
        syncs.done()
    for writer in writers:
        writer.join()
    assert errors == []
    mirror.sync()

    expected = _database_rows(app)
    assert syncs.count >= ROUNDS
    assert len(expected) > WRITERS * ROUNDS  # the org and what the writers left
    assert mirror.rows() == expected
    mirror.close()
