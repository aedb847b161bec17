"""Access to background job runs (imports, login mailings, later ratings and emails): the
Admin sees and retries every run; everyone else the runs they asked for."""

from __future__ import annotations

from sqlalchemy import ColumnElement, false, true

from kinerja.models.jobs import JobRun
from kinerja.security.policies.base import Policy
from kinerja.security.policies.scope import Scope


class JobRunPolicy(Policy[JobRun]):
    model = JobRun

    def read(self, scope: Scope) -> ColumnElement[bool]:
        if scope.manages_all:
            return true()
        if scope.user_id is None:
            return false()
        return JobRun.requested_by_id == scope.user_id

    def manage(self, scope: Scope) -> ColumnElement[bool]:
        """Retrying a failed run: whoever may see it."""
        return self.read(scope)


job_runs = JobRunPolicy()
