from functools import partial

import rules
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.functional import SimpleLazyObject

from notifications.context_processors import unread_for_request


def navigation(request: HttpRequest) -> dict:
    """The service navigation: what the signed-in user's permissions open to them."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    def may(perm: str) -> bool:
        return rules.has_perm(perm, user)

    entries: list[tuple[str, str | None]] = []
    if may("recommendations.view_my_work"):  # force staff: their own force, their own work
        entries.append(
            ("Dashboard", reverse("recommendations:force-dashboard", args=[user.force.slug]))
        )
        entries.append(("My work", reverse("recommendations:my-work")))
    if may("recommendations.view_force_overview"):
        entries.append(("Forces", reverse("recommendations:force-overview")))
    if may("recommendations.view_review_queue"):
        entries.append(("Review queue", reverse("recommendations:review-queue")))
    if may("recommendations.import_publication"):
        entries.append(("Import", _optional("recommendations:import")))
    if may("reports.view_packs"):
        entries.append(("Reports", _optional("reports:pack")))
    entries.append(("All items", reverse("recommendations:item-list")))
    entries.append(("Notifications", _optional("notifications:inbox")))
    if may("admin.use_site"):
        entries.append(("Administration", reverse("admin:index")))
    shown = [(label, url) for label, url in entries if url is not None]
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
            for label, url in shown
        ]
    }


def _optional(name: str) -> str | None:
    # Screens delivered by other apps appear in the menu once their URLs exist.
    try:
        return reverse(name)
    except NoReverseMatch:
        return None
