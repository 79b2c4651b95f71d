"""The calendar feed itself (its secret address is the credential) and the page where a
user makes, replaces or turns off that address."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.cache import never_cache

from calendars import ical, selectors, services
from calendars.models import CalendarFeed
from tracker.errors import ServiceError

SHOW_ONCE = "calendars.new_token"


class CalendarFeedView(View):
    """GET /calendar/<token>.ics: no sign-in (calendar programs cannot), so the token is the
    credential; an unknown, replaced or revoked token, or a deactivated user's, is a 404."""

    def get(self, request, token: str):
        feed = services.calendar_feed_use(token=token)
        if feed is None:
            raise Http404("No such calendar feed")
        try:
            selection = selectors.feed_selection(
                feed.user,
                scope=request.GET.get("scope") or selectors.DEFAULT_SCOPE,
                force_slug=request.GET.get("force", "").replace("\x00", "")[:100],
                today=timezone.localdate(),
            )
        except selectors.UnknownScope as unknown:
            return HttpResponseBadRequest(str(unknown), content_type="text/plain; charset=utf-8")
        body = ical.feed_calendar(
            name=f"Inspection tracker: {feed.user}",
            items=selection.items,
            actions=selection.actions,
        )
        response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
        response["Content-Disposition"] = 'inline; filename="inspection-tracker.ics"'
        response["Cache-Control"] = "private, max-age=300"
        return response


def feed_addresses(user, token: str) -> list[dict]:
    """The addresses to subscribe to: the user's own items and actions, and their force's
    (force staff) or all their forces' (inspectors, administrators)."""
    base = settings.SITE_URL + reverse("calendars:feed", args=[token])
    rows = []
    for scope in ("mine", "force" if user.force_id else "forces"):
        url = base if scope == selectors.DEFAULT_SCOPE else f"{base}?{urlencode({'scope': scope})}"
        webcal = "webcal" + url[url.index(":") :]
        label = selectors.SCOPES[scope]
        rows.append({"scope": scope, "label": label, "url": url, "webcal": webcal})
    return rows


@method_decorator(never_cache, name="dispatch")  # the page shows a secret address once
class CalendarSettingsView(LoginRequiredMixin, View):
    template_name = "calendars/settings.html"

    def get(self, request):
        feed = CalendarFeed.objects.filter(user=request.user).first()
        token = request.session.pop(SHOW_ONCE, None) if feed else None
        context = {
            "feed": feed,
            "addresses": feed_addresses(request.user, token) if token else [],
            "alarm_days": settings.TRACKER_CALENDAR_ALARM_DAYS,
            "past_days": settings.TRACKER_CALENDAR_PAST_DAYS,
            "max_events": settings.TRACKER_CALENDAR_MAX_EVENTS,
        }
        return render(request, self.template_name, context)

    def post(self, request):
        wanted = request.POST.get("feed")
        try:
            if wanted == "create":
                # Kept in the session only until the next page shows it.
                request.session[SHOW_ONCE] = services.calendar_feed_create(user=request.user)
                messages.success(request, "Your new calendar address is ready.")
            elif wanted == "revoke":
                services.calendar_feed_revoke(user=request.user)
                messages.success(request, "Your calendar feed is turned off.")
            else:
                return HttpResponseBadRequest("Choose what to do with the feed.")
        except ServiceError as refused:
            return HttpResponseBadRequest(refused.message)
        return redirect("calendars:settings")
