"""Security: roles defined in code, row-level scopes, and the FAB security manager."""

from kinerja.security.current import current_scope
from kinerja.security.manager import KinerjaSecurityManager
from kinerja.security.scopes import SYSTEM, Scope

__all__ = ["SYSTEM", "KinerjaSecurityManager", "Scope", "current_scope"]
