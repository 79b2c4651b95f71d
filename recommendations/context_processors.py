from functools import partial

from django.urls import NoReverseMatch, reverse
from django.utils.functional import SimpleLazyObject

from accounts.models import Role
from notifications.context_processors import unread_for_request


def navigation(request) -> dict:
    """The service navigation for the signed-in user's role."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    entries = []
    if user.force_id:
        entries.append(
            ("Dashboard", reverse("recommendations:force-dashboard", args=[user.force.slug]))
        )
        entries.append(("My work", reverse("recommendations:my-work")))
    if user.role in (Role.INSPECTOR, Role.ADMINISTRATOR) or user.is_superuser:
        entries.append(("Forces", reverse("recommendations:force-overview")))
    if user.role == Role.INSPECTOR:
        entries.append(("Review queue", reverse("recommendations:review-queue")))
        entries.append(("Import", _optional("recommendations:import")))
    if user.force_id or user.role == Role.INSPECTOR:
        entries.append(("Reports", _optional("reports:pack")))
    entries.append(("All items", reverse("recommendations:item-list")))
    entries.append(("Notifications", _optional("notifications:inbox")))
    if user.is_staff:
        entries.append(("Administration", reverse("admin:index")))
    entries = [(label, url) for label, url in entries if url]
    path = request.path
    return {
        "navigation": [
            {
                "label": label,
                "url": url,
                "active": path == url or (url != "/" and path.startswith(url)),
                # Counted lazily, once per request: see notifications.context_processors.
                "badge": SimpleLazyObject(partial(unread_for_request, request))
                if label == "Notifications"
                else None,
            }
            for label, url in entries
        ]
    }


def _optional(name: str) -> str | None:
    # Screens delivered by other apps appear in the menu once their URLs exist.
    try:
        return reverse(name)
    except NoReverseMatch:
        return None
