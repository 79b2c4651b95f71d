"""Use cases about accounts."""

from __future__ import annotations

from django.db import transaction

from accounts.models import Role, User


@transaction.atomic
def user_create_from_sign_on(*, email: str, first_name: str = "", last_name: str = "") -> User:
    """An account for someone their organisation vouched for at single sign-on, when
    TRACKER_OIDC_CREATE_USERS is on: no role, no force, no password, so it sees and may do
    nothing until an administrator grants a role."""
    base = email.strip().lower()[:140]
    username, n = base, 1
    while User.objects.filter(username=username).exists():
        n += 1
        username = f"{base}-{n}"
    user = User(
        username=username,
        email=email.strip(),
        first_name=first_name[:150],
        last_name=last_name[:150],
        role=Role.NONE,
        force=None,
    )
    user.set_unusable_password()
    user.save()
    return user
