"""Permission look-ups answered from memory instead of the database on every request.

FAB asks, on every API call, for the Public role and its permissions (``is_item_public``),
then matches the caller's roles (``has_access``): for our roles, defined in code as builtin
roles, by regular expressions over every grant. Both answers change only when permissions
are synced (``kinerja init``) or a role's rights are edited, so they are kept per process
for :data:`TTL_SECONDS` and dropped at once when this process changes a role's rights. Which
roles a user has is still read per request: taking a role away works at the next call.
"""

from __future__ import annotations

import time
from typing import Any

TTL_SECONDS = 60.0


class CachedPermissions:
    """Mixin for the security manager (before FAB's class in the bases)."""

    _public_names: tuple[float, frozenset[tuple[str, str]]] | None = None
    _role_answers: dict[tuple[Any, ...], tuple[float, bool]]

    def _fresh(self, stamp: float) -> bool:
        return time.monotonic() - stamp < TTL_SECONDS

    def forget_permissions(self) -> None:
        self._public_names = None
        self._role_answers = {}

    def is_item_public(self, permission_name: str, view_name: str) -> bool:
        cached = self._public_names
        if cached is None or not self._fresh(cached[0]):
            names = frozenset(
                (pv.permission.name, pv.view_menu.name)
                for pv in self.get_public_permissions()  # type: ignore[attr-defined]
            )
            cached = self._public_names = (time.monotonic(), names)
        return (permission_name, view_name) in cached[1]

    def _answer(self, key: tuple[Any, ...], ask: Any) -> bool:
        answers = self.__dict__.setdefault("_role_answers", {})
        cached = answers.get(key)
        if cached is not None and self._fresh(cached[0]):
            return cached[1]
        answer = bool(ask())
        answers[key] = (time.monotonic(), answer)
        return answer

    def _has_access_builtin_roles(self, role: Any, permission_name: str, view_name: str) -> bool:
        parent: Any = super()
        return self._answer(
            ("builtin", role.name, permission_name, view_name),
            lambda: parent._has_access_builtin_roles(role, permission_name, view_name),
        )

    def exist_permission_on_roles(
        self, view_name: str, permission_name: str, role_ids: list[int]
    ) -> bool:
        parent: Any = super()
        return self._answer(
            ("roles", view_name, permission_name, tuple(sorted(role_ids))),
            lambda: parent.exist_permission_on_roles(view_name, permission_name, role_ids),
        )

    def add_permission_role(self, role: Any, perm_view: Any) -> Any:
        parent: Any = super()
        try:
            return parent.add_permission_role(role, perm_view)
        finally:
            self.forget_permissions()

    def del_permission_role(self, role: Any, perm_view: Any) -> Any:
        parent: Any = super()
        try:
            return parent.del_permission_role(role, perm_view)
        finally:
            self.forget_permissions()
