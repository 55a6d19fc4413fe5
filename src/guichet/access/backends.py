"""Authentication backend: passwords from Django, permissions from the policy only."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend

from rules.permissions import has_perm

from . import policy
from .domains import administration


class PolicyBackend(ModelBackend):
    """Log agents in with their password; answer permission questions from the policy.

    Django's group and per-user permission tables are not used: there is one access
    policy (`guichet.access.policy`), and no superuser bypass.
    """

    def has_perm(self, user_obj: Any, perm: str, obj: Any = None) -> bool:
        return bool(has_perm(perm, user_obj, obj))

    def has_module_perms(self, user_obj: Any, app_label: str) -> bool:
        return app_label in policy.admin_apps() and policy.may(
            user_obj, administration.Action.REFERENCE_MANAGE
        )

    def get_all_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        return set()

    def get_user_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        return set()

    def get_group_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        return set()
