"""The public transparency page ``/transparansi``: each unit's satisfaction index (IKM) and
grade per period, with its services', and the comments approved for publication. No
sign-in; aggregates only (see :mod:`kinerja.services.surveys.transparency`). Indonesian by
default, English with ``?_l_=en``; a page asked for in a named language is the same for
everybody, so shared caches may keep it a few minutes."""

from __future__ import annotations

from typing import Any

from flask import make_response, request
from flask_appbuilder import BaseView, expose

from kinerja.services.surveys import transparency
from kinerja.views.params import parse_pk

CACHE_SECONDS = 300


class TransparencyView(BaseView):
    route_base = "/transparansi"
    default_view = "index"

    @expose("/")
    def index(self) -> Any:
        periods = transparency.public_periods()
        chosen = parse_pk(request.args.get("period"))
        period = next((p for p in periods if p.id == chosen), periods[0] if periods else None)
        page = self.render_template(
            "kinerja/transparency.html",
            periods=periods,
            period=period,
            units=transparency.public_units(period.id) if period else [],
            comments=transparency.published_comments(period.id) if period else [],
            language=request.args.get("_l_"),
        )
        response = make_response(page)
        shared = "public" if "_l_" in request.args else "private"
        response.headers["Cache-Control"] = f"{shared}, max-age={CACHE_SECONDS}"
        return response
