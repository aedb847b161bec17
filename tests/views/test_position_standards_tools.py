"""Position standards in bulk on screen: copying one position's standard to others, and
setting levels for many positions at once, within the Operator's reach or not at all."""

from __future__ import annotations

from typing import Any

from tests.development_factories import build_development, standard_of
from tests.factories import Org, login


def test_the_operator_copies_a_standard_to_other_positions(client: Any, org: Org) -> None:
    build_development(org)
    p = org.positions
    login(client, "operator")
    page = client.get("/position-standards-tools/copy?_l_=en").get_data(as_text=True)
    assert f'<option value="{p.perawat.id}">' in page
    assert f'<option value="{p.penguji.id}">' not in page.split('id="targets"')[1]  # Dishub
    answer = client.post(
        "/position-standards-tools/copy",
        data={"source": p.epid.id, "targets": [p.perawat.id, p.kasi_surv.id]},
    )
    assert answer.status_code == 302
    assert standard_of(p.perawat) == standard_of(p.kasi_surv) == {"M.01": 3, "M.02": 4}


def test_a_copy_to_a_position_out_of_reach_changes_nothing(client: Any, org: Org) -> None:
    build_development(org)
    p = org.positions
    login(client, "operator")
    client.post(
        "/position-standards-tools/copy",
        data={"source": p.epid.id, "targets": [p.perawat.id, p.penguji.id]},
    )
    assert standard_of(p.perawat) == {"M.01": 3, "M.03": 3}
    assert standard_of(p.penguji) == {"M.01": 3, "M.02": 3}


def test_many_positions_get_levels_set_and_removed_at_once(client: Any, org: Org) -> None:
    made = build_development(org)
    p = org.positions
    login(client, "operator")
    page = client.get("/position-standards-tools/bulk?_l_=en").get_data(as_text=True)
    assert 'id="bulk-levels"' in page
    m01, m05 = made.competencies["m01"], made.competencies["m05"]
    answer = client.post(
        "/position-standards-tools/bulk",
        data={"targets": [p.epid.id, p.perawat.id], f"level_{m05}": "2", f"level_{m01}": "remove"},
    )
    assert answer.status_code == 302
    assert standard_of(p.epid) == {"M.02": 4, "M.05": 2}
    assert standard_of(p.perawat) == {"M.03": 3, "M.05": 2}
    login(client, "employee")
    assert client.get("/position-standards-tools/bulk").status_code in (302, 403)
