"""The Admin's screens for service accounts: create one with a read-only role, issue, rotate
or revoke its API keys (a new key is shown once), disable it, see each key's last use.

Every step is a use case of :mod:`kinerja.services.service_accounts`, which checks the
Admin's right itself; these screens only ask and show.
"""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, request, url_for
from flask_appbuilder import AppBuilder, BaseView, expose
from flask_appbuilder.security.decorators import has_access
from flask_babel import gettext
from flask_babel import lazy_gettext as _l

from kinerja.domain.errors import DomainError, FieldErrors
from kinerja.security.current import current_scope
from kinerja.security.policies.service_accounts import allowed_roles
from kinerja.services import service_accounts as accounts
from kinerja.views.refusals import error_messages, flash_refusal, tr

SERVICE_ACCOUNT = "ServiceAccount"  # permission view name: the Admin's (".*") alone
MENU_SERVICE_ACCOUNTS = "Service accounts"
MENU_SECURITY = "Security"  # FAB's own category (Keamanan)
NO_STORE = {"Cache-Control": "no-store"}


class ServiceAccountsView(BaseView):
    route_base = "/service-accounts"
    class_permission_name = SERVICE_ACCOUNT
    base_permissions = ["can_read", "can_write"]
    method_permission_name = {
        "index": "read",
        "show": "read",
        "create": "write",
        "issue": "write",
        "rotate": "write",
        "revoke": "write",
        "active": "write",
    }
    default_view = "index"

    def _list_page(self, form: dict[str, Any], errors: dict[str, list[str]]) -> Any:
        return self.render_template(
            "kinerja/service_accounts.html",
            accounts=accounts.list_accounts(current_scope()),
            roles=allowed_roles(),
            form=form,
            errors=errors,
        )

    @expose("/", methods=["GET"])
    @has_access
    def index(self) -> Any:
        return self._list_page({}, {})

    @expose("/", methods=["POST"])
    @has_access
    def create(self) -> Any:
        form = {key: request.form.get(key, "") for key in ("username", "name", "role", "note")}
        try:
            account = accounts.create_service_account(
                current_scope(), form["username"], form["role"], form["name"], form["note"]
            )
        except FieldErrors as refusal:
            return self._list_page(form, error_messages(refusal)), 422
        except DomainError as refusal:
            flash_refusal(refusal)
            return redirect(url_for(f"{type(self).__name__}.index"))
        flash(gettext("Service account created: now issue its key."), "success")
        return redirect(url_for(f"{type(self).__name__}.show", pk=account.id))

    @expose("/<int:pk>", methods=["GET"])
    @has_access
    def show(self, pk: int) -> Any:
        try:
            account, keys = accounts.account_with_keys(current_scope(), pk)
        except DomainError as refusal:
            flash_refusal(refusal)
            return redirect(url_for(f"{type(self).__name__}.index"))
        return self.render_template("kinerja/service_account.html", account=account, keys=keys)

    def _shown_once(self, pk: int, step: Any) -> Any:
        try:
            issued = step()
        except DomainError as refusal:
            flash_refusal(refusal)
            return redirect(url_for(f"{type(self).__name__}.show", pk=pk))
        page = self.render_template("kinerja/service_account_key.html", issued=issued)
        return page, 200, NO_STORE

    @expose("/<int:pk>/keys", methods=["POST"])
    @has_access
    def issue(self, pk: int) -> Any:
        name = request.form.get("name")
        return self._shown_once(pk, lambda: accounts.issue_key(current_scope(), pk, name))

    @expose("/<int:pk>/rotate", methods=["POST"])
    @has_access
    def rotate(self, pk: int) -> Any:
        name = request.form.get("name")
        return self._shown_once(pk, lambda: accounts.rotate_keys(current_scope(), pk, name))

    @expose("/<int:pk>/keys/<int:key_id>/revoke", methods=["POST"])
    @has_access
    def revoke(self, pk: int, key_id: int) -> Any:
        return self._step(
            pk, lambda: accounts.revoke_key(current_scope(), pk, key_id), _l("Key revoked.")
        )

    @expose("/<int:pk>/active", methods=["POST"])
    @has_access
    def active(self, pk: int) -> Any:
        enable = request.form.get("active") == "1"
        done = _l("Service account enabled.") if enable else _l("Service account disabled.")
        return self._step(pk, lambda: accounts.set_active(current_scope(), pk, enable), done)

    def _step(self, pk: int, step: Any, done: Any) -> Any:
        try:
            step()
        except DomainError as refusal:
            flash(tr(refusal), "danger")
        else:
            flash(str(done), "success")
        return redirect(url_for(f"{type(self).__name__}.show", pk=pk))


def register_service_accounts(appbuilder: AppBuilder) -> None:
    appbuilder.add_view(
        ServiceAccountsView,
        MENU_SERVICE_ACCOUNTS,
        label=_l("Service accounts"),
        icon="fa-key",
        category=MENU_SECURITY,
    )
