"""Every screen answers every role without a server error: a crawl of the demo over HTTP.

The pages come from what is registered and rendered, not from a list kept here: each role's
menu and home page, every page linked from there (one link of each shape: the first row's
show and edit pages of a list, a plan, a report…), every ModelView's list, add, show and
edit routes and every other screen's default route. A new screen is crawled without a new
test.

Then the input that once answered 500 (issue 15) is sent as every role, screens and API
alike: each answers 400, 404 or 422, never a server error.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from flask import Flask, url_for
from flask.testing import FlaskClient
from flask_appbuilder import ModelView
from flask_appbuilder.api import BaseApi
from sqlalchemy import func, select
from werkzeug.exceptions import HTTPException
from werkzeug.routing import BuildError
from werkzeug.test import TestResponse

from kinerja.demo import load_demo
from kinerja.extensions import db
from kinerja.models.mail import EmailStatus
from kinerja.models.planning import WorkPlan
from kinerja.models.reports import Report
from kinerja.models.security import KinerjaUser
from kinerja.models.surveys import Survey
from tests.factories import api_token, login
from tests.mail.factories import make_email
from tests.survey_factories import survey_some_units

DEMO_EMPLOYEES = 50  # the demo's smallest organisation: every kind of row, quickly loaded
# Admin, Operator, Supervisor, Employee, Integrator; every login the demo prints is crawled.
DEMO_LOGINS = ["admin", "operator", "atasan", "pegawai", "integrator"]
ANSWERS = {200, 302, 403, 404}
REDIRECTS = {301, 302, 303, 307, 308}
# Links not to follow: they sign out, switch the language, change data or leave the site.
NOT_FOLLOWED = re.compile(r"^/(logout|lang)/|/delete|/action(_post)?/|^/static/")
LINK = re.compile(r"""href=["']([^"'#]+)["']""")


def _internal(href: str) -> str | None:
    url = html.unescape(href.strip())
    parts = urlsplit(url)
    if parts.netloc not in ("", "localhost") or not parts.path.startswith("/"):
        return None  # another site (redirects name the test client's host in full)
    url = url.split(parts.netloc, 1)[1] if parts.netloc else url
    if NOT_FOLLOWED.search(parts.path):
        return None
    return url


def _shape(url: str) -> str:
    """What a link is, ignoring which row it names: ``/units/show/#?``, ``/plans/#/``."""
    parts = urlsplit(url)
    names = sorted({name for name, _ in parse_qsl(parts.query, keep_blank_values=True)})
    return re.sub(r"\d+", "#", parts.path) + "?" + "&".join(names)


def _links(page: str) -> Iterator[str]:
    for href in LINK.findall(page):
        url = _internal(href)
        if url is not None:
            yield url


def registered_pages(app: Flask) -> list[str]:
    """Every ModelView's list and add page and its first row's show and edit pages, and
    every other screen's default page that answers GET without arguments."""
    pages = []
    adapter = app.url_map.bind("localhost")
    with app.test_request_context():
        for view in app.appbuilder.baseviews:  # type: ignore[attr-defined]
            if isinstance(view, BaseApi):
                continue
            if isinstance(view, ModelView):
                route = view.route_base
                pages += [f"{route}/list/", f"{route}/add"]
                model = view.datamodel.obj
                first = db.session.scalar(
                    select(func.min(getattr(model, view.datamodel.get_pk_name())))
                )
                if first is not None:
                    pages += [f"{route}/show/{first}", f"{route}/edit/{first}"]
                continue
            try:
                url = url_for(f"{view.endpoint}.{view.default_view}")
                adapter.match(url, method="GET")
            except (BuildError, HTTPException):
                continue  # needs arguments, or answers POST only
            pages.append(url)
    return pages


def public_pages() -> list[str]:
    """The demo's public survey forms and their thank-you pages (posters link to them by
    the configured full address, which the crawl does not follow)."""
    tokens = db.session.scalars(select(Survey.token).order_by(Survey.id)).all()
    return [page for token in tokens for page in (f"/skm/{token}", f"/skm/{token}/thanks")]


class Crawler:
    """Visits each page once and each shape of link once, following redirects one step."""

    def __init__(self, client: FlaskClient, role: str) -> None:
        self.client = client
        self.role = role
        self.seen: set[str] = set()
        self.shapes: set[str] = set()
        self.failures: list[tuple[str, str, str]] = []

    def visit(self, url: str, redirected_from: str | None = None) -> str | None:
        """The page's HTML if it answered 200 with HTML (after one redirect), else None."""
        if url in self.seen:
            return None
        self.seen.add(url)
        note = f" (redirected from {redirected_from})" if redirected_from else ""
        response = self._get(url, note)
        if response is None:
            return None
        if response.status_code in REDIRECTS and redirected_from is None:
            target = _internal(response.headers.get("Location", ""))
            return self.visit(target, redirected_from=url) if target else None
        if response.status_code != 200 or response.mimetype != "text/html":
            return None
        return response.get_data(as_text=True)

    def _get(self, url: str, note: str = "") -> TestResponse | None:
        """The answer, or None after recording a failure (testing propagates exceptions:
        an exception is the 500 a browser would get)."""
        try:
            response = self.client.get(url)
        except Exception as exc:
            self.failures.append((self.role, url + note, f"500 ({type(exc).__name__}: {exc})"))
            return None
        if response.status_code not in ANSWERS:
            self.failures.append((self.role, url + note, str(response.status_code)))
        return response

    def crawl(self, start: list[str]) -> None:
        """Breadth first from ``start``; of the links found, one per shape is followed."""
        queue = list(start)
        while queue:
            page = self.visit(queue.pop(0))
            for link in _links(page or ""):
                shape = _shape(link)
                if shape not in self.shapes:
                    self.shapes.add(shape)
                    queue.append(link)


def test_every_screen_answers_every_demo_role_without_a_server_error(
    app: Flask, client: FlaskClient
) -> None:
    """Menus, linked pages, lists with their first row's show and edit pages, and every
    registered screen answer 200, 302, 403 or 404 (redirects followed once): never 5xx."""
    demo = load_demo(employees=DEMO_EMPLOYEES)
    survey_some_units()  # the survey results' pages with figures in them
    logins = {username: password for username, password, _roles in demo.logins}
    assert set(DEMO_LOGINS) <= set(logins), "a demo role is missing: crawl it too"
    _an_email_to("pegawai")  # the outgoing email's pages have a row to show
    pages = registered_pages(app) + public_pages()
    assert public_pages(), "the demo has no survey: crawl its public form too"
    failures = []
    for role in [*logins, "anonymous"]:
        if role == "anonymous":
            client.get("/logout/")
        else:
            login(client, role, logins[role])
        crawler = Crawler(client, role)
        crawler.crawl(["/", *pages])
        if role == "admin":
            assert any(_shape(url) == "/survey-results/#/?" for url in crawler.seen)
        failures += crawler.failures
    assert not failures, "Server errors (role, url, status):\n" + "\n".join(
        f"{role} {url} {status}" for role, url, status in failures
    )


def _an_email_to(username: str) -> None:
    user = db.session.scalar(select(KinerjaUser).where(KinerjaUser.username == username))
    make_email(user, EmailStatus.FAILED)
    db.session.commit()


HUGE = "9" * 30  # beyond 64 bits
REFUSED = {401, 403}  # a role that may not use the address is refused before it is read
ENUM_FILTERS = {
    "unit": "kind",
    "employee": "employment_type",
    "period": "status",
    "work_plan": "status",
    "report": "status",
    "evaluation": "predikat",
    "evidence": "kind",
    "outgoing_email": "status",
}


def _q(*items: str) -> str:
    return "?q=(filters:!(" + ",".join(f"({item})" for item in items) + "))"


# (method, address, query string, JSON body, the answers it may get): <report> and
# <work_plan> stand for the demo's first report and plan.
BAD_INPUTS: list[tuple[str, str, dict[str, str] | None, Any, set[int]]] = [
    ("GET", "/work-plans/show/abc", None, None, {404}),
    ("GET", f"/jobs/show/{HUGE}", None, None, {404}),
    ("GET", f"/positions/list/?_flt_0_grade={HUGE}", None, None, {400}),
    ("GET", f"/positions/export/?_flt_0_grade={HUGE}", None, None, {400}),
    ("GET", f"/users/show/{HUGE}", None, None, {404}),
    ("GET", f"/roles/show/{HUGE}", None, None, {404}),
    ("GET", "/userstatschartview/chart/xx", None, None, {404}),
    *(
        ("GET", f"/api/v1/{resource}/" + _q(f"col:{column},opr:eq,value:zzz"), None, None, {400})
        for resource, column in ENUM_FILTERS.items()
    ),
    *(
        (
            "GET",
            "/api/v1/employee/" + _q(f"col:unit,opr:{operator},value:{HUGE}"),
            None,
            None,
            {400},
        )
        for operator in ("rel_o_m", "in_unit_tree")
    ),
    (
        "GET",
        "/api/v1/survey_result/" + _q(f"col:survey,opr:in_period,value:{HUGE}"),
        None,
        None,
        {400},
    ),
    # read as text, each item narrowing the search: a list is a query like any other
    ("GET", "/api/v1/employee/" + _q("col:name,opr:nip_or_name,value:!(1,x)"), None, None, {200}),
    ("GET", "/api/v1/employee/", {"q": "(a:" * 2000 + "1" + ")" * 2000}, None, {400}),
    ("GET", "/api/v1/employee/", {"q": '{"a":' * 2000 + "1" + "}" * 2000}, None, {400}),
    ("GET", "/api/v1/employee/", {"q": "[" * 2000 + "]" * 2000}, None, {400}),
    *(
        ("POST", "/api/v1/report/<report>/approve", None, body, {404, 422})
        for body in ({"feedback": 123}, {"feedback": ["x"]}, {"values": ["above"]})
    ),
    ("POST", "/api/v1/work_plan/<work_plan>/return", None, {"reason": 123}, {404, 422}),
    ("POST", "/api/v1/work_plan/<work_plan>/return", None, {"reason": ["x"]}, {404, 422}),
]


def test_input_that_once_failed_answers_400_404_or_422_for_every_demo_role(
    app: Flask, client: FlaskClient
) -> None:
    """Each input of :data:`BAD_INPUTS` gets its answer, or the refusal of a role that may
    not use the address at all; each gets its answer for at least one role."""
    demo = load_demo(employees=DEMO_EMPLOYEES)
    logins = {username: password for username, password, _roles in demo.logins}
    rows = {
        "<report>": str(db.session.scalar(select(func.min(Report.id)))),
        "<work_plan>": str(db.session.scalar(select(func.min(WorkPlan.id)))),
    }
    failures, answered = [], set()
    for role in [*logins, "anonymous"]:
        headers: dict[str, str] = {}
        if role == "anonymous":
            client.get("/logout/")
        else:
            login(client, role, logins[role])
            headers = api_token(client, role, logins[role])
        for index, (method, address, query, body, expected) in enumerate(BAD_INPUTS):
            for placeholder, row in rows.items():
                address = address.replace(placeholder, row)
            try:
                response = client.open(
                    address, method=method, query_string=query, json=body, headers=headers
                )
            except Exception as exc:  # testing propagates it: a browser would get a 500
                failures.append(f"{role} {method} {address[:90]} 500 ({type(exc).__name__})")
                continue
            if response.status_code in expected:
                answered.add(index)
            elif response.status_code not in REFUSED:
                failures.append(f"{role} {method} {address[:90]} {response.status_code}")
    assert not failures, "Unexpected answers (role, request, status):\n" + "\n".join(failures)
    unanswered = [BAD_INPUTS[i][1][:90] for i in range(len(BAD_INPUTS)) if i not in answered]
    assert not unanswered, f"refused for every role, never read: {unanswered}"
