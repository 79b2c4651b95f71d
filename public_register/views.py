"""The public register: anonymous, read-only, the same for everyone, hence cached.

Pages render without the request's context processors, so nothing about the visitor (or a
signed-in user's name) can enter a page that the cache then serves to others.
"""

from __future__ import annotations

from typing import cast

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.views.decorators.http import require_safe

from public_register import selectors
from public_register.caching import public_page
from recommendations.models import Inspection, Item, ItemKind, Status
from recommendations.views.common import csv_response

PAGE_SIZE = 50
MAX_QUERY = 200


def _page(request, template: str, context: dict) -> HttpResponse:
    context = {
        "request": request,
        "areas_shown": settings.TRACKER_REGISTER_AREAS_FOR_IMPROVEMENT,
        **context,
    }
    return HttpResponse(render_to_string(f"public_register/{template}", context))


def _text(request, name: str) -> str:
    """A search word as typed, bounded, and without NUL characters (which no database text
    holds, and PostgreSQL refuses outright)."""
    return request.GET.get(name, "")[:MAX_QUERY].replace("\x00", "")


def _filters(request) -> dict:
    inspection = request.GET.get("inspection", "")
    return {
        "text": _text(request, "q"),
        "force_slug": _text(request, "force"),
        "inspection_id": int(inspection) if inspection.isdigit() and len(inspection) < 10 else None,
    }


@require_safe
@public_page
def index(request):
    return _page(request, "index.html", {"forces": selectors.forces_on_register()})


@require_safe
@public_page
def force(request, slug: str):
    inspections = selectors.inspections_of_force(slug)
    if not inspections:
        raise Http404("Nothing of this force is on the register")
    return _page(
        request,
        "force.html",
        {"force_name": inspections[0]["force__name"], "slug": slug, "inspections": inspections},
    )


@require_safe
@public_page
def inspection(request, pk: int):
    try:
        found = selectors.published_inspection(pk)
    except Inspection.DoesNotExist as missing:
        raise Http404("Not on the register") from missing
    items = list(selectors.search(inspection_id=found.pk))
    if not items:
        raise Http404("Nothing of this inspection is on the register")
    return _page(
        request,
        "inspection.html",
        {
            "inspection": found,
            "recommendations": [i for i in items if i.kind == ItemKind.RECOMMENDATION],
            "areas": [i for i in items if i.kind == ItemKind.AREA_FOR_IMPROVEMENT],
            "national": found.force_id is None,
        },
    )


@require_safe
@public_page
def item(request, pk: int):
    try:
        found = selectors.public_items().get(pk=pk)
    except Item.DoesNotExist as missing:
        raise Http404("Not on the register") from missing
    return _page(request, "item.html", {"item": found, "history": selectors.public_history(found)})


@require_safe
@public_page
def search(request):
    filters = _filters(request)
    searched = any(filters.values())
    page = None
    if searched:
        page = Paginator(selectors.search(**filters), PAGE_SIZE).get_page(request.GET.get("page"))
    return _page(
        request,
        "search.html",
        {
            "q": filters["text"],
            "force_slug": filters["force_slug"],
            "forces": selectors.forces_on_register(),
            "page": page,
            "searched": searched,
        },
    )


def _status(slug: str) -> str:
    try:
        return Status(slug).label
    except ValueError:
        return slug


@require_safe
def download(request):
    """The register (or what the filters select) as CSV; streamed, so not cached."""
    columns = [
        ("Force", lambda i: i.force.name),
        ("Inspection", lambda i: i.inspection.title),
        ("Published", lambda i: i.inspection.published_on),
        ("Kind", lambda i: i.get_kind_display()),
        ("Reference", lambda i: i.display_reference),
        ("Text", lambda i: i.text),
        ("Deadline", lambda i: i.deadline_phrase or i.get_deadline_rule_display()),
        ("Due date", lambda i: i.due_on or ""),
        ("Status", lambda i: i.get_status_display()),
        ("Status since", lambda i: timezone.localdate(i.status_changed_at)),
        ("Register page", lambda i: settings.SITE_URL + reverse("register:item", args=[i.pk])),
    ]
    items = selectors.search(**_filters(request)).iterator(chunk_size=500)
    return csv_response("public-register", columns, items)


@require_safe
@public_page
def status_changes(request):
    """An Atom feed of the latest status changes of published findings."""
    force_slug = _text(request, "force")
    feed = Atom1Feed(
        title="Inspection recommendations: status changes",
        link=settings.SITE_URL + reverse("register:index"),
        description="The latest status changes on the public register of inspection "
        "recommendations.",
        feed_url=settings.SITE_URL + request.get_full_path(),
        language="en-gb",
    )
    for entry in selectors.status_changes(force_slug=force_slug):
        found = cast(Item, entry.item)  # status_changes() returns items' entries only
        change = (
            f"{_status(entry.status_from)} → {_status(entry.status_to)}"
            if entry.status_from
            else _status(entry.status_to)
        )
        comment = entry.comment if entry.public else ""
        url = settings.SITE_URL + reverse("register:item", args=[found.pk])
        feed.add_item(
            title=f"{found.label} ({found.force.name}): {change}",
            link=url,
            description="\n\n".join(part for part in (change, comment, found.text) if part),
            unique_id=f"{url}#status-change-{entry.pk}",
            unique_id_is_permalink=False,
            pubdate=entry.occurred_at,
            updateddate=entry.occurred_at,
        )
    return HttpResponse(
        feed.writeString("utf-8"), content_type="application/atom+xml; charset=utf-8"
    )
