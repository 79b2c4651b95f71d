"""What a request may do besides what the user may do: a read-only token only reads.

Object permissions are the rules' (`recommendations.rules`), as on the pages.
"""

from __future__ import annotations

import rules
from rest_framework import permissions

from api.models import ApiToken


class TokenScopePermission(permissions.BasePermission):
    message = "This token is read-only: make a read and write token to change anything."

    def has_permission(self, request, view) -> bool:
        if request.method in permissions.SAFE_METHODS:
            return True
        token = request.auth
        return not isinstance(token, ApiToken) or token.can_write


class RulesObjectPermission(permissions.BasePermission):
    """Reading one object needs the view permission the pages check (`view_perm` on the
    view, on `view_object(obj)`, if not None); objects outside the user's scope are already
    404."""

    def has_object_permission(self, request, view, obj) -> bool:
        perm = getattr(view, "view_perm", None)
        if perm is None:
            return True
        target = view.view_object(obj) if hasattr(view, "view_object") else obj
        return target is None or rules.has_perm(perm, request.user, target)
