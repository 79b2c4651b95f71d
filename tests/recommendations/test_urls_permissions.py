"""Every URL of the project, for every role: the right answer (200, sign-in, 403, 404 or 405).

The URL patterns are enumerated from the resolver, so a new view without an entry in
`GET_EXPECTED` fails `test_every_url_pattern_has_a_permission_expectation`, and a new
write endpoint without an entry in `POST_EXPECTED` fails too.
"""

from __future__ import annotations

from datetime import date, timedelta
from types import SimpleNamespace

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from accounts.models import SavedView
from api.models import TokenScope
from api.services import api_token_create
from calendars.services import calendar_feed_create
from notifications.models import Kind, Notification, State
from notifications.tokens import unsubscribe_token
from recommendations.models import (
    Action,
    CauseOfConcern,
    Evidence,
    Inspection,
    Item,
    MonitoringStageChange,
    ProgressUpdate,
    Status,
    TimelineEntry,
)
from reports.models import PreparedPack
from tests import factories
from tests.dates import date_fields

pytestmark = pytest.mark.django_db

ROLES = (
    "anonymous",
    "lead",
    "owner",
    "sponsor",
    "other_lead",
    "inspector",
    "other_inspector",
    "administrator",
)
SIGNED_IN = ROLES[1:]
LOGIN = "login"  # 302 to the sign-in page
REDIRECT = "redirect"  # 302 anywhere but the sign-in page
OK, FORBIDDEN, NOT_FOUND, NOT_ALLOWED = 200, 403, 404, 405
UNAUTHORIZED = 401  # the API's answer to no credentials (it redirects nobody)


def table(anonymous=LOGIN, *, default, **roles) -> dict:
    return {"anonymous": anonymous, **dict.fromkeys(SIGNED_IN, default), **roles}


def force_a(ok) -> dict:
    """Anything of force A: its users, its inspector and administrators may see it."""
    return table(default=ok, other_lead=NOT_FOUND, other_inspector=NOT_FOUND)


def inspector_of_a(ok) -> dict:
    return table(default=FORBIDDEN, inspector=ok, other_lead=NOT_FOUND, other_inspector=NOT_FOUND)


def force_work(ok, **more) -> dict:
    """The force's own work: its lead and action owners."""
    return {**inspector_of_a(FORBIDDEN), "lead": ok, "owner": ok, "inspector": FORBIDDEN, **more}


def api_force_a(ok) -> dict:
    return {**force_a(ok), "anonymous": UNAUTHORIZED}


def inspectors_only(ok) -> dict:
    return table(default=FORBIDDEN, inspector=ok, other_inspector=ok)


POST_ONLY = table(default=NOT_ALLOWED)

# URL name -> (kwargs from the world, expected answer to GET per role).
GET_EXPECTED = {
    "login": (lambda w: {}, table(anonymous=OK, default=REDIRECT)),
    "logout": (lambda w: {}, table(anonymous=NOT_ALLOWED, default=NOT_ALLOWED)),
    "password_change": (lambda w: {}, table(default=OK)),
    # Single sign-on is off unless configured (tests/accounts turns it on): 404 for everyone.
    "oidc_authentication_init": (lambda w: {}, table(anonymous=NOT_FOUND, default=NOT_FOUND)),
    "oidc_authentication_callback": (
        lambda w: {},
        table(anonymous=NOT_FOUND, default=NOT_FOUND),
    ),
    "no-role": (lambda w: {}, table(default=OK)),
    # The admin's sign-in page (staff are sent on to the admin).
    "admin-login": (lambda w: {}, table(anonymous=OK, default=OK, administrator=REDIRECT)),
    "password_change_done": (lambda w: {}, table(default=OK)),
    "recommendations:home": (lambda w: {}, table(default=REDIRECT)),
    "recommendations:item-list": (lambda w: {}, table(default=OK)),
    "recommendations:item-detail": (lambda w: {"pk": w.a.item.pk}, force_a(OK)),
    "recommendations:item-transition": (
        lambda w: {"pk": w.a.item.pk},
        POST_ONLY,
    ),
    "recommendations:item-due-date": (lambda w: {"pk": w.a.item.pk}, POST_ONLY),
    "recommendations:item-owner": (lambda w: {"pk": w.a.item.pk}, POST_ONLY),
    "recommendations:extension-request": (lambda w: {"pk": w.a.item.pk}, POST_ONLY),
    "recommendations:items-bulk": (lambda w: {}, POST_ONLY),
    "recommendations:extension-decision": (
        lambda w: {"pk": w.a.asked.item.pk, "request_pk": w.a.asked.pk},
        POST_ONLY,
    ),
    "recommendations:action-create": (lambda w: {"pk": w.a.item.pk}, POST_ONLY),
    "recommendations:action-update": (
        lambda w: {"pk": w.a.item.pk, "action_pk": w.a.action.pk},
        POST_ONLY,
    ),
    "recommendations:update-create": (lambda w: {"pk": w.a.item.pk}, POST_ONLY),
    "recommendations:evidence-create": (lambda w: {"pk": w.a.item.pk}, POST_ONLY),
    "recommendations:evidence-download": (
        lambda w: {"pk": w.a.item.pk, "evidence_pk": w.a.evidence.pk},
        force_a(OK),
    ),
    "recommendations:review-queue": (
        lambda w: {},
        inspectors_only(OK),
    ),
    "recommendations:force-overview": (lambda w: {}, table(default=OK)),
    "recommendations:force-dashboard": (lambda w: {"slug": w.a.force.slug}, force_a(OK)),
    "recommendations:monitoring-stage": (lambda w: {"slug": w.a.force.slug}, inspector_of_a(OK)),
    "recommendations:inspection-detail": (lambda w: {"pk": w.a.inspection.pk}, force_a(OK)),
    "recommendations:cause-of-concern-close": (
        lambda w: {"pk": w.a.cause.pk},
        inspector_of_a(OK),
    ),
    # The public register: the force's inspector publishes, withdraws, and marks comments.
    "recommendations:inspection-publish": (lambda w: {"pk": w.a.inspection.pk}, inspector_of_a(OK)),
    "recommendations:inspection-unpublish": (
        lambda w: {"pk": w.a.published.pk},
        inspector_of_a(OK),
    ),
    "recommendations:timeline-entry-public": (
        lambda w: {"pk": w.a.item.pk, "entry_pk": w.a.entry.pk},
        POST_ONLY,
    ),
    "recommendations:cause-of-concern-reopen": (
        lambda w: {"pk": w.a.closed_cause.pk},
        inspector_of_a(OK),
    ),
    # Importing a publication is for inspectors; the preview without one under way sends
    # the inspector back to step 1.
    "recommendations:import": (lambda w: {}, inspectors_only(OK)),
    "recommendations:import-preview": (lambda w: {}, inspectors_only(REDIRECT)),
    # Every user's own e-mail preferences; the unsubscribe link is its own credential (no
    # sign-in); the ledger's health page is for administrators.
    "notifications:preferences": (lambda w: {}, table(default=OK)),
    "notifications:unsubscribe": (
        lambda w: {"token": unsubscribe_token(user_id=w.users["lead"].pk, kind="overdue")},
        table(anonymous=OK, default=OK),
    ),
    "notifications:status": (lambda w: {}, table(default=FORBIDDEN, administrator=OK)),
    # My work is each force user's own page; inspectors have the review queue instead.
    "recommendations:my-work": (
        lambda w: {},
        table(default=OK, inspector=FORBIDDEN, other_inspector=FORBIDDEN, administrator=FORBIDDEN),
    ),
    "recommendations:my-work-action": (lambda w: {"pk": w.a.action.pk}, POST_ONLY),
    # The inbox: everyone's own; a message is found only by the person it was sent to.
    "notifications:inbox": (lambda w: {}, table(default=OK)),
    "notifications:open": (
        lambda w: {"pk": w.a.notification.pk},
        table(default=NOT_FOUND, owner=REDIRECT),
    ),
    "notifications:mark-all-read": (lambda w: {}, POST_ONLY),
    # Saved views: everyone's own.
    "accounts:saved-views": (lambda w: {}, table(default=OK)),
    "accounts:saved-view-create": (lambda w: {}, POST_ONLY),
    "accounts:saved-view-delete": (lambda w: {"pk": w.saved_view.pk}, POST_ONLY),
    # The public register is for everyone, signed in or not.
    "register:index": (lambda w: {}, table(anonymous=OK, default=OK)),
    "register:search": (lambda w: {}, table(anonymous=OK, default=OK)),
    "register:download": (lambda w: {}, table(anonymous=OK, default=OK)),
    "register:status-changes": (lambda w: {}, table(anonymous=OK, default=OK)),
    "register:force": (lambda w: {"slug": w.a.force.slug}, table(anonymous=OK, default=OK)),
    "register:inspection": (
        lambda w: {"pk": w.a.published.pk},
        table(anonymous=OK, default=OK),
    ),
    "register:item": (
        lambda w: {"pk": w.a.published_item.pk},
        table(anonymous=OK, default=OK),
    ),
    # Each user's own calendar feed page; the feed's secret address is its own credential.
    "calendars:settings": (lambda w: {}, table(default=OK)),
    "calendars:feed": (
        lambda w: {"token": calendar_feed_create(user=w.users["lead"])},
        table(anonymous=OK, default=OK),
    ),
    # The REST API, with the session (tests/api checks every endpoint with tokens too); the
    # docs page is a page; a user's own tokens are theirs only.
    "api:schema": (lambda w: {}, table(anonymous=UNAUTHORIZED, default=OK)),
    "api:docs": (lambda w: {}, table(default=OK)),
    "api:api-root": (lambda w: {}, table(anonymous=UNAUTHORIZED, default=OK)),
    **{
        f"api:{name}-list": (lambda w: {}, table(anonymous=UNAUTHORIZED, default=OK))
        for name in (
            "force",
            "inspection",
            "cause-of-concern",
            "item",
            "action",
            "progress-update",
            "evidence",
            "timeline-entry",
        )
    },
    "api:force-detail": (lambda w: {"slug": w.a.force.slug}, api_force_a(OK)),
    "api:inspection-detail": (lambda w: {"pk": w.a.inspection.pk}, api_force_a(OK)),
    "api:cause-of-concern-detail": (lambda w: {"pk": w.a.cause.pk}, api_force_a(OK)),
    "api:item-detail": (lambda w: {"pk": w.a.item.pk}, api_force_a(OK)),
    "api:item-transitions": (lambda w: {"pk": w.a.item.pk}, api_force_a(OK)),
    "api:item-progress-updates": (
        lambda w: {"pk": w.a.item.pk},
        table(anonymous=UNAUTHORIZED, default=NOT_ALLOWED),
    ),
    "api:action-detail": (lambda w: {"pk": w.a.action.pk}, api_force_a(OK)),
    "api:progress-update-detail": (lambda w: {"pk": w.a.update.pk}, api_force_a(OK)),
    "api:evidence-detail": (lambda w: {"pk": w.a.evidence.pk}, api_force_a(OK)),
    "api:timeline-entry-detail": (lambda w: {"pk": w.a.entry.pk}, api_force_a(OK)),
    "api:not-found": (
        lambda w: {"path": "no/such/"},
        table(anonymous=NOT_FOUND, default=NOT_FOUND),
    ),
    "tokens:list": (lambda w: {}, table(default=OK)),
    "tokens:revoke": (lambda w: {"pk": w.lead_token.pk}, table(default=NOT_FOUND, lead=OK)),
    # The report to the board: everyone's own forces; a prepared file is its requester's alone.
    "reports:pack": (lambda w: {}, table(default=OK)),
    "reports:force-pack": (lambda w: {"slug": w.a.force.slug}, force_a(OK)),
    "reports:downloads": (lambda w: {}, table(default=OK)),
    "reports:download": (
        lambda w: {"pk": _prepared_pack(w).pk},
        table(default=NOT_FOUND, lead=OK),
    ),
}

CREATED = 302  # a successful POST redirects (PRG)

# Write endpoint -> (POST data from the world and role, expected answer per role).
POST_EXPECTED = {
    "recommendations:item-due-date": (
        lambda w, role: {
            **date_fields(
                "due-due_on",
                (timezone.localdate() + timedelta(days=30 + ROLES.index(role))).isoformat(),
            ),
            "due-reason": "Why",
        },
        inspector_of_a(CREATED),
    ),
    "recommendations:extension-request": (
        lambda w, role: {
            **date_fields(
                "extension-due_on", (timezone.localdate() + timedelta(days=400)).isoformat()
            ),
            "extension-reason": "The audit needs longer.",
        },
        {**inspector_of_a(FORBIDDEN), "lead": CREATED},
    ),
    "recommendations:extension-decision": (
        lambda w, role: {"extension-decision-decision": "approve"},
        inspector_of_a(CREATED),
    ),
    # Force A's item: its lead assigns it; anyone else who may use bulk changes gets the
    # result page with nothing changed (another force's item is never named or touched).
    "recommendations:items-bulk": (
        lambda w, role: {
            "bulk-items": [w.a.item.pk],
            "bulk-action": "complete" if "inspector" in role else "assign_owner",
            "bulk-owner": w.users["owner"].pk,
            "bulk-comment": "All done",
        },
        table(
            default=FORBIDDEN,
            lead=CREATED,
            other_lead=400,  # force A's owner is not one of force B's people
            inspector=OK,
            other_inspector=OK,
        ),
    ),
    "recommendations:item-owner": (
        lambda w, role: {"owner-owner": w.users["owner"].pk},
        {**inspector_of_a(FORBIDDEN), "lead": CREATED},
    ),
    "recommendations:action-create": (
        lambda w, role: {"action-description": "Train staff", "action-status": "not-started"},
        force_work(CREATED),
    ),
    "recommendations:action-update": (
        lambda w, role: {
            f"action-{w.a.action.pk}-description": "Train all staff",
            f"action-{w.a.action.pk}-owner": w.users["owner"].pk,
            f"action-{w.a.action.pk}-status": "in-progress",
        },
        force_work(CREATED),  # the owner owns this action
    ),
    "recommendations:update-create": (
        lambda w, role: {"update-text": "Policy rewritten"},
        force_work(CREATED),
    ),
    "recommendations:evidence-create": (
        lambda w, role: {
            "evidence-description": "Policy",
            "evidence-url": "https://example.gov.uk/policy",
        },
        force_work(CREATED),
    ),
    "recommendations:monitoring-stage": (
        lambda w, role: {"stage": "engage", **date_fields("started_on", "2024-05-01"), "note": ""},
        inspector_of_a(CREATED),
    ),
    "recommendations:cause-of-concern-close": (
        # Its recommendation is open: closing it all the same needs "Close it anyway".
        lambda w, role: {
            **date_fields("closed_on", "2024-05-01"),
            "letter_reference": "L/1",
            "close_anyway": "on",
        },
        inspector_of_a(CREATED),
    ),
    "recommendations:cause-of-concern-reopen": (
        lambda w, role: {"reason": "The revisit found the problem again."},
        inspector_of_a(CREATED),
    ),
    "recommendations:inspection-publish": (lambda w, role: {}, inspector_of_a(CREATED)),
    "recommendations:inspection-unpublish": (lambda w, role: {}, inspector_of_a(CREATED)),
    "recommendations:timeline-entry-public": (
        lambda w, role: {"public": "true"},
        inspector_of_a(CREATED),
    ),
    "recommendations:item-transition": (
        lambda w, role: {"decision-transition": "submit_for_review", "decision-comment": "Done"},
        {**inspector_of_a(FORBIDDEN), "lead": CREATED},
    ),
    "recommendations:my-work-action": (
        lambda w, role: {
            f"action-{w.a.action.pk}-status": "in-progress",
            f"action-{w.a.action.pk}-note": f"Progress noted by {role}",
            **date_fields(f"action-{w.a.action.pk}-target_on", None),
        },
        force_work(CREATED),  # the owner owns this action; the lead may change any
    ),
    "notifications:mark-all-read": (lambda w, role: {}, table(default=CREATED)),
    "accounts:saved-view-create": (
        lambda w, role: {"name": f"Overdue ({role})", "path": "/items/", "query": "due=overdue"},
        table(default=CREATED),
    ),
    "accounts:saved-view-delete": (
        lambda w, role: {},
        table(default=NOT_FOUND, lead=CREATED),  # the lead's own saved view
    ),
    "reports:downloads": (
        lambda w, role: {
            "force": w.a.force.slug,
            **date_fields("start", "2024-01-01"),
            **date_fields("end", "2024-03-31"),
            "format": "pdf",
        },
        force_a(CREATED),
    ),
}


def _prepared_pack(w) -> PreparedPack:
    """A report file force A's lead asked for and the runner has prepared."""
    if not hasattr(w, "prepared_pack"):
        w.prepared_pack = PreparedPack.objects.create(
            requested_by=w.users["lead"],
            scope=w.a.force.name,
            slug=w.a.force.slug,
            start=date(2024, 1, 1),
            end=date(2024, 3, 31),
            format="pdf",
            status="ready",
        )
        w.prepared_pack.forces.set([w.a.force])
        w.prepared_pack.file.save("report.pdf", ContentFile(b"%PDF-1.4\n"))
    return w.prepared_pack


def project_url_names(patterns=None, namespace="") -> list[str]:
    """Every URL pattern of the project, by (namespaced) name; the admin's own are skipped."""
    names = []
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace == "admin":
                continue
            prefix = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            names += project_url_names(entry.url_patterns, prefix)
        elif isinstance(entry, URLPattern):
            names.append(f"{namespace}{entry.name}" if entry.name else f"<unnamed {entry.pattern}>")
    return names


def _side(force, who):
    inspection = factories.InspectionFactory(force=force)
    cause = factories.CauseOfConcernFactory(inspection=inspection)
    item = factories.ItemFactory(
        inspection=inspection, cause_of_concern=cause, status=Status.BEING_PROGRESSED
    )
    closed_cause = factories.CauseOfConcernFactory(
        inspection=inspection, closed_on=date(2024, 3, 1), closing_letter_reference="L/0"
    )
    asked = factories.ItemFactory(inspection=inspection, status=Status.BEING_PROGRESSED)
    published = factories.InspectionFactory(
        force=force, register_published_at=timezone.now(), title=f"Published {force.slug}"
    )
    return SimpleNamespace(
        force=force,
        inspection=inspection,
        asked=factories.ExtensionRequestFactory(item=asked, requested_by=who),
        published=published,
        published_item=factories.ItemFactory(inspection=published),
        entry=factories.TimelineEntryFactory(item=item, comment="The audit is done."),
        cause=cause,
        closed_cause=closed_cause,
        item=item,
        action=factories.ActionFactory(item=item, owner=who),
        evidence=factories.FileEvidenceFactory(item=item, uploaded_by=who),
        notification=Notification.objects.create(
            recipient=who,
            kind=Kind.ASSIGNED,
            key="action-1",
            item=item,
            planned_for=date(2024, 3, 1),
            state=State.SENT,
        ),
        update=factories.ProgressUpdateFactory(item=item, author=who),
    )


@pytest.fixture
def world(force, other_force, lead, owner, sponsor, other_lead, inspector, other_inspector):
    admin = factories.AdministratorFactory(username="superadmin", is_superuser=True)
    users = {
        "lead": lead,
        "owner": owner,
        "sponsor": sponsor,
        "other_lead": other_lead,
        "inspector": inspector,
        "other_inspector": other_inspector,
        "administrator": admin,
    }
    lead_token, _secret = api_token_create(
        user=lead, name="Report", scope=TokenScope.READ, lifetime_days=30
    )
    return SimpleNamespace(
        a=_side(force, owner),
        b=_side(other_force, other_lead),
        users=users,
        lead_token=lead_token,
        saved_view=SavedView.objects.create(user=lead, name="Overdue", path="/items/"),
    )


def client_for(world, role) -> Client:
    client = Client()
    if role != "anonymous":
        client.force_login(world.users[role])
    return client


def outcome(response) -> int | str:
    if response.status_code == 302:
        return LOGIN if response["Location"].startswith(reverse("login")) else REDIRECT
    return response.status_code


def snapshot() -> tuple:
    """Everything a write endpoint could change."""
    return (
        list(Item.objects.values_list("pk", "status", "due_on", "owner_id").order_by("pk")),
        list(Action.objects.values_list("pk", "description", "status", "owner_id").order_by("pk")),
        list(CauseOfConcern.objects.values_list("pk", "closed_on").order_by("pk")),
        list(Inspection.objects.values_list("pk", "register_published_at").order_by("pk")),
        list(TimelineEntry.objects.filter(public=True).values_list("pk", flat=True)),
        *(
            model.objects.count()
            for model in (ProgressUpdate, Evidence, TimelineEntry, MonitoringStageChange)
        ),
        list(SavedView.objects.values_list("pk", "user_id", "name").order_by("pk")),
        list(Notification.objects.values_list("pk", "read_at").order_by("pk")),
    )


def test_every_url_pattern_has_a_permission_expectation():
    names = project_url_names()
    assert "recommendations:item-detail" in names  # the walk reaches included namespaces
    missing = [name for name in names if name not in GET_EXPECTED]
    assert not missing, f"new URL {missing} has no permission expectation in GET_EXPECTED"
    stale = set(GET_EXPECTED) - set(names)
    assert not stale, f"expectations for URLs that no longer exist: {stale}"


def test_every_write_endpoint_has_a_post_expectation():
    post_only = {name for name, (_, expected) in GET_EXPECTED.items() if expected == POST_ONLY}
    assert post_only - {"logout"} <= set(POST_EXPECTED)


@pytest.mark.parametrize("role", ROLES)
def test_get_answer_for_every_url_and_role(world, role):
    client = client_for(world, role)
    wrong = []
    for name in project_url_names():
        if name not in GET_EXPECTED:
            wrong.append(f"{name}: no expectation")
            continue
        kwargs, expected = GET_EXPECTED[name]
        url = reverse(name, kwargs=kwargs(world))
        got = outcome(client.get(url))
        if got != expected[role]:
            wrong.append(f"GET {url} as {role}: {got}, expected {expected[role]}")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("role", ROLES)
def test_admin_site_is_for_staff_only(world, role):
    response = client_for(world, role).get("/admin/")
    if role == "administrator":
        assert response.status_code == 200
    else:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))


SHOWS_RESULT = {"recommendations:items-bulk"}


def _post_as(world, name, role):
    data, _ = POST_EXPECTED[name]
    kwargs, _ = GET_EXPECTED[name]
    return client_for(world, role).post(reverse(name, kwargs=kwargs(world)), data(world, role))


@pytest.mark.parametrize(
    "name", [n for n in POST_EXPECTED if n != "recommendations:item-transition"]
)
def test_post_answer_for_every_write_endpoint_and_role(world, name):
    _, expected = POST_EXPECTED[name]
    refused = [role for role in ROLES if expected[role] != CREATED]
    allowed = [role for role in ROLES if expected[role] == CREATED]
    for role in refused:
        before = snapshot()
        got = outcome(_post_as(world, name, role))
        assert got == expected[role], f"POST {name} as {role}: {got}"
        assert snapshot() == before, f"POST {name} as {role} changed the database"
    for role in allowed:
        before = snapshot()
        response = _post_as(world, name, role)
        # A bulk change answers with the page of what happened to each item.
        done = OK if name in SHOWS_RESULT else REDIRECT
        assert outcome(response) == done, f"POST {name} as {role}: {response.status_code}"
        if name in SHOWS_RESULT:  # a 200 is also what a refusal looks like: check the change
            assert snapshot() != before, f"POST {name} as {role} changed nothing"


def test_transition_post_refuses_other_forces_and_changes_nothing(world):
    name = "recommendations:item-transition"
    for role, expected in (("anonymous", LOGIN), ("other_lead", 404), ("other_inspector", 404)):
        before = snapshot()
        assert outcome(_post_as(world, name, role)) == expected
        assert snapshot() == before
    for role in ("owner", "sponsor", "inspector", "administrator"):
        before = snapshot()
        assert _post_as(world, name, role).status_code in (400, 403)
        assert snapshot() == before
    assert outcome(_post_as(world, name, "lead")) == REDIRECT
    world.a.item.refresh_from_db()
    assert world.a.item.status == Status.AWAITING_REVIEW


@pytest.mark.parametrize("name", ["recommendations:import", "recommendations:import-preview"])
def test_import_posts_are_refused_to_everyone_but_inspectors(world, name):
    for role in ROLES:
        if role in ("inspector", "other_inspector"):
            continue
        before = snapshot()
        response = client_for(world, role).post(reverse(name), {"text": "Recommendation 1"})
        assert outcome(response) == (LOGIN if role == "anonymous" else FORBIDDEN), role
        assert snapshot() == before


def test_unknown_transition_is_refused_and_changes_nothing(world):
    client = client_for(world, "lead")
    url = reverse("recommendations:item-transition", args=[world.a.item.pk])
    before = snapshot()
    assert client.post(url, {"decision-transition": "delete"}).status_code == 400
    assert snapshot() == before


@pytest.mark.parametrize(
    ("role", "transition"),
    [
        ("sponsor", "submit_for_review"),
        ("owner", "submit_for_review"),
        ("inspector", "submit_for_review"),
        ("lead", "complete"),
    ],
)
def test_transition_by_a_role_not_allowed_is_403(world, role, transition):
    item = world.a.item
    if transition == "complete":
        Item.objects.filter(pk=item.pk).update(status=Status.AWAITING_REVIEW)
    url = reverse("recommendations:item-transition", args=[item.pk])
    before = snapshot()
    data = {"decision-transition": transition, "decision-comment": "Please"}
    response = client_for(world, role).post(url, data)
    assert snapshot() == before
    assert response.status_code == 403


def test_objects_of_another_force_under_own_item_are_404(world):
    """The item is the lead's own, the nested action or evidence is another force's."""
    client = client_for(world, "lead")
    a, b = world.a, world.b
    download = reverse("recommendations:evidence-download", args=[a.item.pk, b.evidence.pk])
    assert client.get(download).status_code == 404
    before = snapshot()
    update = reverse("recommendations:action-update", args=[a.item.pk, b.action.pk])
    response = client.post(update, {f"action-{b.action.pk}-description": "Mine now"})
    assert response.status_code == 404
    assert snapshot() == before


def test_deactivated_user_loses_access(world):
    user = world.users["lead"]
    client = client_for(world, "lead")
    user.is_active = False
    user.save()
    response = client.get(reverse("recommendations:item-detail", args=[world.a.item.pk]))
    assert outcome(response) == LOGIN
