"""Signed unsubscribe links: "stop e-mailing me this kind", without signing in.

The token names a user and a kind, signed with the secret key (`django.core.signing`), so it
cannot be forged or pointed at someone else. It does not expire: an old e-mail's link should
still work.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core import signing

SALT = "notifications.unsubscribe"


@dataclass(frozen=True)
class UnsubscribeRequest:
    user_id: int
    kind: str


def unsubscribe_token(*, user_id: int, kind: str) -> str:
    return signing.dumps({"u": user_id, "k": kind}, salt=SALT, compress=True)


def read_unsubscribe_token(token: str) -> UnsubscribeRequest | None:
    """The request a token carries, or None when it was altered or is not ours."""
    try:
        data = signing.loads(token, salt=SALT)
        return UnsubscribeRequest(user_id=int(data["u"]), kind=str(data["k"]))
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None
