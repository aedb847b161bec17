"""The public's survey: the form at ``/skm/<token>`` and its JSON twin
``POST /api/v1/public/survey/<token>/response``, both through
:func:`kinerja.services.surveys.responses.submit_response` under the same limits.

No login. The form is Indonesian by default; ``?_l_=en`` shows it in English (FAB's own
locale argument, kept through the submission). A refused submission shows its reason and
keeps every answer; an accepted one is saved, then a thank-you page follows (POST, redirect,
GET: a reload sends nothing twice).

CSRF: the form carries Flask-WTF's token, which works without a login (it lives in the
anonymous session cookie). The JSON endpoint, like every REST resource, is exempt; it
accepts only ``application/json``, which no other site's form can send without the browser
asking first (CORS preflight, never granted here).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Response, jsonify, make_response, redirect, request, url_for
from flask_appbuilder import BaseView, expose
from flask_appbuilder.api import BaseApi, safe
from flask_babel import get_locale, gettext
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from marshmallow import RAISE, Schema, ValidationError, fields

from kinerja.domain.errors import ConflictError, DomainError, FieldErrors, NotFoundError
from kinerja.models.surveys import Survey, SurveyStatus
from kinerja.services.surveys.catalogue import today
from kinerja.services.surveys.questionnaire import questionnaire
from kinerja.services.surveys.responses import (
    PROFILE_FIELDS,
    has_answered,
    submit_response,
    survey_by_token,
)
from kinerja.views.public_limits import (
    allow_submission,
    body_too_large,
    browser_key,
    keep_browser_key,
    retry_after,
)
from kinerja.views.refusals import error_messages, tr
from kinerja.views.schemas import translated_messages

HONEYPOT = "website"  # hidden from people; only a robot fills it
TOO_MANY = _l("Too many submissions from your connection. Please wait a few minutes and try again.")
TOO_LARGE = _l("The submission is too large. Please shorten your comment.")
ROBOT = _l("The submission could not be accepted. Please leave the last, hidden field empty.")
EXPIRED = _l("The form had expired. Please check your answers and send them again.")
THANKS = _l("Thank you! Your answers have been saved.")


def _answers(values: Mapping[str, Any]) -> list[Any]:
    return [values.get(f"a{number}") for number in range(1, 10)]


def _profile(values: Mapping[str, Any]) -> dict[str, Any]:
    return {field: values.get(field) for field in PROFILE_FIELDS if field in values}


def _language() -> str:
    locale = get_locale()
    return locale.language if locale is not None else "id"


class SurveyFormView(BaseView):
    """The public form; no permission is checked (there is nobody to check)."""

    route_base = "/skm"
    default_view = "form"

    def create_blueprint(self, appbuilder: Any, *args: Any, **kwargs: Any) -> Any:
        blueprint = super().create_blueprint(appbuilder, *args, **kwargs)
        blueprint.register_error_handler(CSRFError, self._expired)
        return blueprint

    def _expired(self, _error: Exception) -> Any:
        """The CSRF check failed (the session cookie was lost): the answers stay."""
        token = (request.view_args or {}).get("token", "")
        return self._page(survey_by_token(token), request.form, message=EXPIRED, status=400)

    @expose("/<token>", methods=["GET", "POST"])
    def form(self, token: str) -> Any:
        survey = survey_by_token(token)
        key, new_key = browser_key()
        if request.method == "GET":
            return self._page(survey, {}, key=key, new_key=new_key)
        if body_too_large():
            return self._page(survey, {}, message=TOO_LARGE, status=413)
        values = request.form
        if not allow_submission():
            page = self._page(survey, values, message=TOO_MANY, status=429)
            page.headers["Retry-After"] = str(retry_after())
            return page
        if values.get(HONEYPOT):
            return self._page(survey, values, message=ROBOT, status=400)
        try:
            submit_response(token, _answers(values), _profile(values), values.get("comment"), key)
        except FieldErrors as refusal:
            return self._page(survey, values, errors=error_messages(refusal), status=422)
        except NotFoundError as refusal:
            return self._page(None, values, message=tr(refusal), status=404)
        except ConflictError as refusal:
            return self._page(survey, values, message=tr(refusal), status=409)
        answer = redirect(url_for(".thanks", token=token, **_language_arg()), code=303)
        return keep_browser_key(answer, key) if new_key else answer

    @expose("/<token>/thanks")
    def thanks(self, token: str) -> Any:
        survey = survey_by_token(token)
        if survey is None:
            return self._page(None, {}, status=404)
        return self.render_template(
            "kinerja/skm/thanks.html", survey=survey, message=THANKS, **_switch(token)
        )

    def _page(
        self,
        survey: Survey | None,
        values: Mapping[str, Any],
        *,
        errors: dict[str, list[str]] | None = None,
        message: Any = None,
        status: int = 200,
        key: str | None = None,
        new_key: bool = False,
    ) -> Response:
        """The form (or why it cannot be answered), with the answers given so far."""
        state = survey.status_on(today()) if survey is not None else None
        answered = (
            key is not None
            and state is SurveyStatus.OPEN
            and survey is not None
            and has_answered(survey, key)
        )
        token = survey.token if survey is not None else ""
        body = self.render_template(
            "kinerja/skm/form.html",
            survey=survey,
            state=state.value if state else "unknown",
            answered=answered,
            elements=questionnaire(_language()),
            profile=[
                (field, _profile_label(field), [(m.value, gettext(m.label)) for m in enum])
                for field, enum in PROFILE_FIELDS.items()
            ],
            values=values,
            errors=errors or {},
            message=message,
            honeypot=HONEYPOT,
            action=url_for(".form", token=token, **_language_arg()) if token else "",
            **_switch(token),
        )
        response = make_response(body, 404 if survey is None and status == 200 else status)
        if new_key and key is not None:
            keep_browser_key(response, key)
        response.headers["Cache-Control"] = "no-store"
        return response


PROFILE_LABELS = {
    "age_range": _l("Age"),
    "sex": _l("Sex"),
    "education": _l("Education"),
    "occupation": _l("Occupation"),
}


def _profile_label(field: str) -> str:
    return str(PROFILE_LABELS[field])


def _language_arg() -> dict[str, Any]:
    chosen = request.args.get("_l_")
    return {"_l_": chosen} if chosen in ("id", "en") else {}


def _switch(token: str) -> dict[str, Any]:
    """Links to the same page in the other language."""
    endpoint = request.endpoint or "SurveyFormView.form"
    language = _language()
    return {
        "language": language,
        "other_language": "en" if language == "id" else "id",
        "switch_url": url_for(endpoint, token=token, _l_="en" if language == "id" else "id")
        if token
        else "",
    }


# --- the public JSON endpoint ----------------------------------------------------------------


class SubmissionSchema(Schema):
    class Meta:
        unknown = RAISE

    answers = fields.List(fields.Raw(allow_none=True), required=True)
    age_range = fields.String(allow_none=True)
    sex = fields.String(allow_none=True)
    education = fields.String(allow_none=True)
    occupation = fields.String(allow_none=True)
    comment = fields.String(allow_none=True)
    browser_key = fields.String(allow_none=True)


SUBMISSION = SubmissionSchema()  # built once: a schema's construction costs more than a load


def _json(status: int, **body: Any) -> Response:
    response = make_response(jsonify(**body), status)
    response.headers["Cache-Control"] = "no-store"
    return response


class PublicSurveyApi(BaseApi):
    """Submitting a response without a login (a kiosk app, a page of the region's site)."""

    resource_name = "public"
    openapi_spec_tag = "Public survey"
    csrf_exempt = True

    @expose("/survey/<token>/response", methods=["POST"])
    @safe
    def submit(self, token: str) -> Any:
        """Submit one response to the survey of the public link ``/skm/<token>`` (no login).
        ``answers`` are the nine elements' answers 1–4 in order; the profile fields and the
        comment are optional. ``browser_key`` (16–64 of ``A-Z a-z 0-9 - _``) identifies the
        respondent's device: one response per key and survey; without it the ``skm_key``
        cookie is used, or a new one is set. A refusal names the field: ``a1``…``a9``,
        ``answers``, ``comment``, a profile field or ``browser_key``.
        ---
        post:
          parameters:
          - {in: path, name: token, required: true, schema: {type: string}}
          requestBody:
            required: true
            content:
              application/json:
                schema:
                  type: object
                  required: [answers]
                  additionalProperties: false
                  properties:
                    answers:
                      type: array
                      minItems: 9
                      maxItems: 9
                      items: {type: integer, minimum: 1, maximum: 4}
                    age_range: {type: string, enum: [lt20, 20-29, 30-39, 40-49, 50-59, ge60]}
                    sex: {type: string, enum: [M, F]}
                    education: {type: string, enum: [sd, smp, sma, diploma, s1, s2]}
                    occupation: {type: string, enum: [asn, private, self, student, other]}
                    comment: {type: string, maxLength: 2000}
                    browser_key: {type: string, minLength: 16, maxLength: 64}
          responses:
            201: {description: 'Saved: {"id": …}'}
            400: {description: The body is not a JSON object}
            404: {description: No survey has this token}
            409: {description: The survey is not open, or this key already answered it}
            413: {description: The body is larger than a submission needs}
            422: {description: 'Wrong input, the fields named in "fields": {field: [reasons]}'}
            429: {description: Too many submissions from this address; see Retry-After}
        """
        if body_too_large():
            return _json(413, message=str(TOO_LARGE))
        if not allow_submission():
            response = _json(429, message=str(TOO_MANY))
            response.headers["Retry-After"] = str(retry_after())
            return response
        data = request.get_json(silent=True) if request.is_json else None
        if not isinstance(data, dict):
            return _json(400, message=gettext("Request body must be a JSON object."))
        try:
            body = SUBMISSION.load(data)
        except ValidationError as err:
            return _json(422, message=translated_messages(err))
        cookie_key, new_key = browser_key()
        key = body.get("browser_key") or cookie_key
        try:
            saved_id = submit_response(
                token, body["answers"], _profile(body), body.get("comment"), key
            )
        except FieldErrors as refusal:
            return _json(422, message=error_messages(refusal))
        except DomainError as refusal:
            status = 404 if isinstance(refusal, NotFoundError) else 409
            return _json(status, message=tr(refusal))
        response = _json(201, id=saved_id)  # no text: nothing to translate, no session to write
        if new_key and not body.get("browser_key"):
            keep_browser_key(response, key)
        return response
