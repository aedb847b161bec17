"""One's own email settings, reached from the profile page (*Pengaturan email*): the
language of one's emails and whether one receives digests and reminders. Saved by the
:func:`~kinerja.services.mail.settings.set_email_settings` use case."""

from __future__ import annotations

from typing import Any

from flask import current_app, flash, g, redirect, url_for
from flask_appbuilder import SimpleFormView
from flask_appbuilder.fieldwidgets import Select2Widget
from flask_appbuilder.forms import DynamicForm
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, SelectField

from kinerja.domain.errors import DomainError, FieldErrors
from kinerja.security import roles
from kinerja.security.current import current_scope
from kinerja.services.mail.settings import EmailSettings, email_settings, set_email_settings
from kinerja.views.refusals import error_messages, flash_refusal


class EmailSettingsForm(DynamicForm):
    # the choices are the instance's languages; the use case refuses any other
    language = SelectField(
        _l("Language of my emails"), widget=Select2Widget(), validate_choice=False
    )
    digests = BooleanField(
        _l("Send me digests"),
        description=_l("The weekly digest of what waits for me, and unit summaries."),
    )
    reminders = BooleanField(
        _l("Send me reminders"),
        description=_l(
            "Reminders before a deadline, overdue notices and escalations. Feedback on my "
            "evaluations and my final rating always come by email."
        ),
    )


class EmailSettingsView(SimpleFormView):
    route_base = "/profile/email"
    class_permission_name = roles.EMAIL_SETTINGS
    form = EmailSettingsForm
    form_title = _l("Email settings")

    def _languages(self, form: Any) -> None:
        form.language.choices = [
            (code, language["name"]) for code, language in current_app.config["LANGUAGES"].items()
        ]

    def form_get(self, form: Any) -> None:
        self._languages(form)
        settings = email_settings(g.user)
        form.language.data = settings.language
        form.digests.data = settings.digests
        form.reminders.data = settings.reminders

    def form_post(self, form: Any) -> Any:
        self._languages(form)
        settings = EmailSettings(form.language.data, form.digests.data, form.reminders.data)
        try:
            set_email_settings(g.user.id, settings, current_scope())
        except FieldErrors as refusal:
            for messages in error_messages(refusal).values():
                form.language.errors = [*form.language.errors, *messages]
            return self.render_template(
                self.form_template, title=self.form_title, widgets=self._get_edit_widget(form)
            )
        except DomainError as refusal:
            flash_refusal(refusal)
        else:
            flash(gettext("Your email settings are saved."), "success")
        profile = self.appbuilder.sm.user_view.endpoint  # the security manager's user admin
        return redirect(url_for(f"{profile}.userinfo"))
