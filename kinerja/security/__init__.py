"""Security: roles defined in code (:mod:`roles`), row-level access policies
(:mod:`policies`), the current person's scope (:mod:`current`) and FAB's security manager
(:mod:`manager`). Import the module you need: this package itself loads nothing."""
