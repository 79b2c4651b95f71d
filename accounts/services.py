"""Use cases about accounts: a user's saved views of the lists, and accounts made at single
sign-on."""

from __future__ import annotations

import rules
from django.db import IntegrityError, transaction
from django.http import QueryDict
from django.urls import Resolver404, resolve, reverse

from accounts.models import Role, SavedView, User
from recommendations.models import Force
from recommendations.services.common import clean_text
from tracker.errors import InvalidInput, NotAllowed

# The lists whose filters can be saved, by URL name.
SAVABLE_LISTS = ("recommendations:item-list", "recommendations:force-dashboard")
# A user's saved views are listed on every list page: they stay few.
MAX_SAVED_VIEWS = 50
MAX_QUERY_LENGTH = 1000
# Which page of a list, or its CSV download, is not part of its filters.
NOT_FILTERS = ("page", "format", "csrfmiddlewaretoken")
NOT_A_LIST = "Only the filters of the item list or of a force's dashboard can be saved."


def savable_path(user: User, path: str) -> str:
    """The list's own address for `path`, if it is a list the user may see and save."""
    if not path.startswith("/") or path.startswith("//") or "?" in path or "#" in path:
        raise InvalidInput(NOT_A_LIST)
    try:
        match = resolve(path)
    except Resolver404 as missing:
        raise InvalidInput(NOT_A_LIST) from missing
    if match.view_name not in SAVABLE_LISTS:
        raise InvalidInput(NOT_A_LIST)
    if match.view_name == "recommendations:force-dashboard":
        force = Force.objects.filter(slug=match.kwargs["slug"]).first()
        # A force the user may not see is answered as if it did not exist.
        if force is None or not rules.has_perm("recommendations.view_force", user, force):
            raise InvalidInput(NOT_A_LIST)
    return reverse(match.view_name, kwargs=match.kwargs)


def list_filters(query: str) -> str:
    """The filters of a list's query string, without the page number or the CSV switch."""
    if len(query) > MAX_QUERY_LENGTH:
        raise InvalidInput("These filters are too long to save.")
    filters = QueryDict(query, mutable=True)
    for name in NOT_FILTERS:
        filters.pop(name, None)
    return filters.urlencode()


@transaction.atomic
def saved_view_create(*, user: User, name: str, path: str, query: str = "") -> SavedView:
    """Save the filters of a list the user may see under a name of their choice; names are
    the user's own, and unique among their views whatever the capitals."""
    if not (user.is_authenticated and user.is_active):
        raise NotAllowed("Sign in to save a view.")
    name = clean_text(name, what="a name for the view", field="name")
    max_length = SavedView._meta.get_field("name").max_length
    if max_length is not None and len(name) > max_length:
        raise InvalidInput("The name must be 100 characters or fewer.", field="name")
    path = savable_path(user, path)
    query = list_filters(query)
    taken = f"You already have a saved view called “{name}”. Choose another name."
    if SavedView.objects.filter(user=user, name__iexact=name).exists():
        raise InvalidInput(taken, field="name")
    if SavedView.objects.filter(user=user).count() >= MAX_SAVED_VIEWS:
        raise InvalidInput(
            f"You have {MAX_SAVED_VIEWS} saved views, the most you can keep. Delete one first."
        )
    try:
        with transaction.atomic():  # the same name saved twice at once: one of them wins
            return SavedView.objects.create(user=user, name=name, path=path, query=query)
    except IntegrityError as clash:
        raise InvalidInput(taken, field="name") from clash


@transaction.atomic
def saved_view_delete(*, saved_view: SavedView, user: User) -> None:
    """A user deletes one of their own saved views."""
    if saved_view.user_id != user.pk:
        raise NotAllowed("You can only delete your own saved views.")
    saved_view.delete()


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
