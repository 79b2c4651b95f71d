"""No input causes a server error, and a refused write changes nothing.

The forms are not listed here: every URL of the project is fetched as each kind of user, and
every form on every page is posted with random values (text, values past every column's
length, NUL bytes, huge numbers, impossible dates, odd file names), as a user who may use
it. Query strings, URL parameters and a few headers are fuzzed the same way. So a new page
or form is covered as soon as it exists. Each example runs in a savepoint that is rolled
back, so every example starts from the same database and a failure can be replayed.

`FUZZ_EXAMPLES` (default 8) sets the examples per form and page; raise it for a long run.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import NoReverseMatch, get_resolver, resolve, reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from notifications.models import Notification, NotificationPreference
from recommendations.models import (
    Action,
    CauseOfConcern,
    Evidence,
    GradedJudgment,
    Inspection,
    Item,
    MonitoringStageChange,
    ProgressUpdate,
    Status,
    TimelineEntry,
)
from tests import factories
from tests.recommendations.test_urls_permissions import GET_EXPECTED, project_url_names
from tests.recommendations.test_urls_permissions import world as permissions_world
from tests.tracker.fuzzing import (
    ANY_VALUE,
    FIXTURES,
    HEADERS,
    PAST_A_COLUMN,
    ROOT,
    TEXT,
    FormSpec,
    form_values,
    forms_on,
    sweep,
)

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "8"))
ROLES = ("anonymous", "lead", "owner", "inspector", "administrator")
NOT_FUZZED = {"logout"}  # posting it signs the client out; it takes no input


@dataclass
class Target:
    role: str
    url: str
    form: FormSpec | None = None

    def __str__(self) -> str:
        return f"{self.role} {self.form.method.upper() if self.form else 'GET'} {self.url}"


class Site:
    """Clients for each role, and what each may fetch and post."""

    def __init__(self, world):
        self.world = world
        self.users = world.users
        self.clients = {}
        for role in ROLES:
            client = Client()
            if role != "anonymous":
                client.force_login(self.users[role])
            self.clients[role] = client

    def page_urls(self) -> list[str]:
        urls = []
        for name in project_url_names():
            kwargs, _ = GET_EXPECTED[name]
            urls.append(reverse(name, kwargs=kwargs(self.world)))
        a = self.world.a
        extra = Item.objects.filter(force=a.force).exclude(pk=a.item.pk)
        urls += [reverse("recommendations:item-detail", args=[item.pk]) for item in extra]
        return urls

    def targets(self) -> tuple[list[Target], list[Target]]:
        """Each page once (as the first role that may see it), and each form once (as the
        first role shown it): the same form on another item or for another role is the
        same code."""
        pages, forms, seen = [], [], set()
        for url in self.page_urls():
            page_seen = False
            for role in ROLES:
                response = self.clients[role].get(url)
                assert response.status_code < 500, f"{role} GET {url}"
                if response.status_code != 200 or "html" not in response.get("Content-Type"):
                    continue
                if not page_seen:
                    pages.append(Target(role, url))
                    page_seen = True
                for form in forms_on(url, response.content.decode()):
                    key = (resolve(form.action).url_name, *form.key()[:1], *form.key()[2:])
                    if key[0] in NOT_FUZZED or key in seen:
                        continue
                    seen.add(key)
                    forms.append(Target(role, form.action, form))
        return pages, forms


def _extra_items(world) -> None:
    """Items in every state, so the item page shows every transition's form."""
    a, inspection = world.a, world.a.inspection
    factories.ItemFactory(inspection=inspection, status=Status.AWAITING_REVIEW)
    factories.ItemFactory(
        inspection=inspection, status=Status.COMPLETE, cause_of_concern=world.a.cause
    )
    factories.AreaForImprovementFactory(inspection=inspection, status=Status.BEING_PROGRESSED)
    Item.objects.filter(pk=a.item.pk).update(owner=world.users["owner"])


def _start_an_import(site: Site) -> None:
    """An import under way, so the preview page (and its form) can be fetched."""
    text = (ROOT / FIXTURES / "register_cleveland_2018_9207.txt").read_bytes()
    upload = SimpleUploadedFile("9207.txt", text, "text/plain")
    response = site.clients["inspector"].post(
        reverse("recommendations:import"), {"force": site.world.a.force.pk, "file": upload}
    )
    assert response.status_code == 302


# --- Checking a request ---------------------------------------------------------------------


def database_state(media_root) -> tuple:
    """Everything a refused write must leave as it was."""
    files = sorted(p for p in media_root.rglob("*") if p.is_file()) if media_root.exists() else []
    return (
        list(Item.objects.values_list("pk", "status", "due_on", "owner_id", "superseded_by_id")),
        list(Action.objects.values_list("pk", "description", "status", "owner_id", "target_on")),
        list(CauseOfConcern.objects.values_list("pk", "closed_on", "closing_letter_reference")),
        list(NotificationPreference.objects.values_list("user_id", "kind", "delivery")),
        list(get_user_model().objects.values_list("pk", "password", "is_active")),
        *(
            model.objects.count()
            for model in (
                ProgressUpdate,
                Evidence,
                TimelineEntry,
                MonitoringStageChange,
                Notification,
                Inspection,
                GradedJudgment,
            )
        ),
        files,
    )


def refused(response) -> bool:
    if response.status_code >= 400:
        return True
    return response.status_code == 200 and b"govuk-error-summary" in response.content


def in_savepoint(check, *args):
    """Run one example and roll it back, so each starts from the same database."""
    with transaction.atomic():
        check(*args)
        transaction.set_rollback(True)


def _fuzz(site: Site, target: Target, settings_) -> None:
    client = site.clients[target.role]
    form = target.form

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(data=st.data())
    def run(data):
        headers = data.draw(HEADERS, label="headers")
        if form is None:
            names = st.one_of(st.sampled_from(["format", "page", "q", "next", "due"]), TEXT)
            query = data.draw(st.dictionaries(names, ANY_VALUE, max_size=4), label="query")

            def check():
                response = client.get(target.url, query, **headers)
                assert response.status_code < 500

            in_savepoint(check)
            return
        values = form_values(data, form)
        if form.method == "get":

            def check():
                assert client.get(target.url, values, **headers).status_code < 500

            in_savepoint(check)
            return

        in_savepoint(submit, client, target.url, values, headers, settings_.MEDIA_ROOT)

    if form is not None and form.method == "post":
        for label, values in sweep(form):
            try:
                in_savepoint(submit, client, target.url, values, {}, settings_.MEDIA_ROOT)
            except AssertionError as failed:
                raise AssertionError(f"{label}: {failed}") from failed
    run()


def submit(client, url: str, values: dict, headers: dict, media_root) -> None:
    for value in values.values():
        if hasattr(value, "seek"):
            value.seek(0)  # the same upload object may be posted again
    before = database_state(media_root)
    response = client.post(url, values, **headers)
    assert response.status_code < 500
    if refused(response):
        assert database_state(media_root) == before, "a refused write changed"


# The world of test_urls_permissions (two forces with an item each, users of each role, a
# token, a saved view), so every URL it knows can be reached here too.
world = permissions_world


@pytest.fixture
def site(world, settings):
    settings.AXES_ENABLED = True
    _extra_items(world)
    site = Site(world)
    _start_an_import(site)
    return site


def test_every_form_page_and_filter_survives_fuzzing(site, settings):
    pages, forms = site.targets()
    posted = {urlsplit(t.url).path for t in forms}
    # The walk reaches the item page's forms, the import preview, sign-in and preferences.
    for name, args in [
        ("recommendations:evidence-create", [site.world.a.item.pk]),
        ("recommendations:item-owner", [site.world.a.item.pk]),
        ("recommendations:import-preview", []),
        ("recommendations:import", []),
        ("login", []),
        ("notifications:preferences", []),
    ]:
        assert reverse(name, args=args) in posted, name
    failures = []
    for target in [*forms, *pages]:
        try:
            _fuzz(site, target, settings)
        except Exception as error:  # collect them all, then report
            failures.append(f"{target}: {type(error).__name__}: {error}")
    assert not failures, "\n\n".join(failures)


def _fuzzed_path(name: str, converters: dict, data) -> str | None:
    kwargs = {}
    for key, converter in converters.items():
        kind = type(converter).__name__
        if kind == "IntConverter":
            kwargs[key] = data.draw(st.integers(min_value=0, max_value=2**80), label=key)
        elif kind == "SlugConverter":
            kwargs[key] = data.draw(st.from_regex(r"\A[-a-zA-Z0-9_]{1,300}\Z"), label=key)
        else:
            kwargs[key] = data.draw(
                st.one_of(PAST_A_COLUMN, TEXT).map(lambda s: s.replace("/", "")), label=key
            )
    try:
        return reverse(name, kwargs=kwargs)
    except NoReverseMatch:
        return None


def test_every_url_survives_fuzzed_parameters(site):
    """Huge ids, long or odd slugs and tokens: a 404 or a 400, never a server error."""
    patterns = [
        (name, converters)
        for name, converters in _walk(get_resolver().url_patterns)
        if converters and name not in NOT_FUZZED
    ]
    assert {name for name, _ in patterns} >= {
        "recommendations:item-detail",
        "notifications:unsubscribe",
    }

    @settings(
        max_examples=EXAMPLES * 6,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(data=st.data())
    def run(data):
        name, converters = data.draw(st.sampled_from(patterns), label="url")
        url = _fuzzed_path(name, converters, data)
        if url is None:
            return
        role = data.draw(st.sampled_from(ROLES), label="role")
        client = site.clients[role]

        def check():
            assert client.get(url).status_code < 500, url
            assert client.post(url, {}).status_code < 500, url

        in_savepoint(check)

    run()


def _walk(patterns, namespace="", converters=None):
    for entry in patterns:
        merged = {**(converters or {}), **entry.pattern.converters}
        if hasattr(entry, "url_patterns"):
            if getattr(entry, "namespace", None) == "admin":
                continue
            prefix = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _walk(entry.url_patterns, prefix, merged)
        elif entry.name:
            yield f"{namespace}{entry.name}", merged


def test_the_form_parser_reads_fields_and_options():
    html = (
        '<form method="post" action="/x/?a=1"><input type="hidden" name="csrfmiddlewaretoken" '
        'value="t"><input name="q" value="v"><select name="s"><option value="">-</option>'
        '<option value="2" selected>Two</option></select><input type="radio" name="r" value="a">'
        '<input type="radio" name="r" value="b" checked><textarea name="t">\nSome &amp; text'
        '</textarea><button name="action" value="confirm">Go</button></form>'
    )
    (form,) = forms_on("/page/", html)
    assert (form.method, form.action) == ("post", "/x/")
    assert set(form.fields) == {"q", "s", "r", "t", "action"}
    assert form.fields["q"].default == "v"
    assert (form.fields["s"].options, form.fields["s"].default) == (["", "2"], "2")
    assert (form.fields["r"].options, form.fields["r"].default) == (["a", "b"], "b")
    assert form.fields["t"].default == "Some & text"
    assert form.fields["action"].options == ["confirm"]
    assert form.fields["t"].kind == "textarea"
