"""Single sign-on, end to end through the real redirect flow: the tracker sends the browser to
an OpenID Connect provider running on 127.0.0.1, the provider sends it back with a code, and
the tracker exchanges the code and checks the tokens over HTTP. Accounts are matched by
e-mail; roles and forces stay the tracker's."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from django.contrib.auth import SESSION_KEY, authenticate
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role, User
from tests import factories
from tests.accounts.oidc_provider import CLIENT_ID, CLIENT_SECRET, Provider

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def provider():
    with Provider() as running:
        yield running


@pytest.fixture(autouse=True)
def sso(settings, provider):
    """The tracker configured as the README says, from the provider's discovery document."""
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = CLIENT_SECRET
    settings.OIDC_OP_DISCOVERY_URL = f"{provider.url}/.well-known/openid-configuration"
    settings.TRACKER_OIDC_CREATE_USERS = False
    settings.TRACKER_LOCAL_LOGIN = True
    provider.tamper = {}
    provider.user = {}


def start(client: Client, next_url: str = "") -> str:
    """Press "Sign in with your organisation's account": the provider's address we are sent to."""
    response = client.get(
        reverse("oidc_authentication_init"), {"next": next_url} if next_url else {}
    )
    assert response.status_code == 302
    return response["Location"]


def at_provider(location: str) -> str:
    """The browser at the provider, which signs the user in and sends it back: the callback."""
    response = requests.get(location, allow_redirects=False, timeout=10)
    assert response.status_code == 302, response.text
    return response.headers["Location"]


def back_at_tracker(client: Client, callback: str):
    parts = urlsplit(callback)
    assert parts.path == reverse("oidc_authentication_callback")
    return client.get(f"{parts.path}?{parts.query}")


def sign_in(client: Client, next_url: str = ""):
    return back_at_tracker(client, at_provider(start(client, next_url)))


def signed_in_user(client: Client):
    user_id = client.session.get(SESSION_KEY)
    return User.objects.get(pk=user_id) if user_id else None


def test_the_provider_is_asked_for_a_code_with_state_nonce_and_pkce(provider):
    location = start(Client())
    query = parse_qs(urlsplit(location).query)
    assert location.startswith(f"{provider.url}/authorize?")
    assert query["client_id"] == [CLIENT_ID]
    assert query["response_type"] == ["code"]
    assert query["redirect_uri"] == ["http://testserver/accounts/oidc/callback/"]
    assert query["code_challenge_method"] == ["S256"]
    assert {"state", "nonce", "code_challenge"} <= set(query)


def test_a_known_email_signs_in_with_the_trackers_role_and_force(provider, lead, force):
    provider.sign_in_as("LEAD@Example.GOV.uk")  # the address's case does not matter
    client = Client()

    response = sign_in(client, next_url="/items/")

    assert response.status_code == 302
    assert response["Location"] == "/items/"
    user = signed_in_user(client)
    assert user == lead
    assert (user.role, user.force) == (Role.FORCE_LEAD, force)
    home = client.get(reverse("recommendations:home"))
    assert home["Location"] == reverse("recommendations:force-dashboard", args=[force.slug])
    assert provider.token_requests >= 1


def test_an_unknown_email_is_refused_with_a_clear_page(provider):
    provider.sign_in_as("stranger@example.org")
    client = Client()

    response = sign_in(client)

    assert response.status_code == 403
    page = response.content.decode()
    assert "You do not have an account on the tracker" in page
    assert "stranger@example.org" in page
    assert signed_in_user(client) is None
    assert not User.objects.filter(email__iexact="stranger@example.org").exists()


def test_an_unknown_email_gets_an_account_with_no_role_when_allowed(provider, settings, item):
    settings.TRACKER_OIDC_CREATE_USERS = True
    provider.sign_in_as("new.person@example.org", given_name="New", family_name="Person")
    client = Client()

    response = sign_in(client)

    assert response["Location"] == reverse("no-role")
    user = signed_in_user(client)
    assert (user.email, user.get_full_name()) == ("new.person@example.org", "New Person")
    assert (user.role, user.force, user.is_staff, user.is_superuser) == (
        Role.NONE,
        None,
        False,
        False,
    )
    assert not user.has_usable_password()
    assert not user.inspected_forces.exists()
    assert "cannot see anything yet" in client.get(reverse("no-role")).content.decode()
    assert client.get(reverse("recommendations:item-detail", args=[item.pk])).status_code == 404
    items = client.get(reverse("recommendations:item-list"))
    assert item.text not in items.content.decode()


@pytest.mark.parametrize(
    ("tamper", "why"),
    [
        ({"audience": "some-other-application"}, "a token for another application"),
        ({"audience": [CLIENT_ID, "another"]}, "several audiences and no azp"),
        ({"expires_in": -120}, "an expired token"),
        ({"nonce": "not-the-nonce-we-sent"}, "a token from another sign-in"),
        ({"issuer": "https://impostor.example"}, "another issuer"),
        ({"rogue_key": True}, "a key the provider does not publish"),
        ({"userinfo": {"sub": "someone-else"}}, "user info about someone else"),
    ],
)
def test_tokens_that_fail_a_check_are_refused(provider, lead, tamper, why):
    provider.sign_in_as(lead.email)
    provider.tamper = tamper
    client = Client()

    response = sign_in(client)

    assert response.status_code == 403, why
    assert "You have not been signed in" in response.content.decode()
    assert signed_in_user(client) is None, why


def test_a_replayed_callback_is_refused(provider, lead):
    provider.sign_in_as(lead.email)
    client = Client()
    callback = at_provider(start(client))
    assert back_at_tracker(client, callback).status_code == 302
    client.post(reverse("logout"))

    replayed = back_at_tracker(client, callback)

    assert replayed.status_code == 403
    assert signed_in_user(client) is None


def test_a_mismatched_state_is_refused(provider, lead):
    provider.sign_in_as(lead.email)
    client = Client()
    callback = at_provider(start(client))
    forged = callback.replace("state=", "state=x")

    assert back_at_tracker(client, forged).status_code == 403
    assert signed_in_user(client) is None


def test_a_callback_started_in_another_browser_is_refused(provider, lead):
    """An attacker's callback link (login CSRF): its state is not in the victim's session."""
    provider.sign_in_as(lead.email)
    callback = at_provider(start(Client()))
    victim = Client()

    assert back_at_tracker(victim, callback).status_code == 403
    assert signed_in_user(victim) is None


def test_a_sign_in_left_too_long_is_refused(provider, lead, time_machine):
    provider.sign_in_as(lead.email)
    client = Client()
    callback = at_provider(start(client))
    time_machine.move_to(timezone.now() + timedelta(minutes=11))

    response = back_at_tracker(client, callback)

    assert response.status_code == 403
    assert "took too long" in response.content.decode()


def test_a_deactivated_account_is_refused(provider, lead):
    lead.is_active = False
    lead.save()
    provider.sign_in_as(lead.email)

    response = sign_in(Client())

    assert response.status_code == 403
    assert "has been deactivated" in response.content.decode()


def test_two_accounts_with_the_same_email_are_refused(provider, lead, force):
    factories.ActionOwnerFactory(force=force, email=lead.email.upper())
    provider.sign_in_as(lead.email)

    response = sign_in(Client())

    assert response.status_code == 403
    assert "More than one tracker account" in response.content.decode()


def test_an_unverified_email_is_refused(provider, lead):
    provider.sign_in_as(lead.email, email_verified=False)
    response = sign_in(Client())
    assert response.status_code == 403
    assert "verified e-mail address" in response.content.decode()


def test_a_sign_in_cancelled_at_the_provider_is_refused(provider):
    client = Client()
    state = parse_qs(urlsplit(start(client)).query)["state"][0]
    response = client.get(
        reverse("oidc_authentication_callback"), {"error": "access_denied", "state": state}
    )
    assert response.status_code == 403
    assert "cancelled" in response.content.decode()


def test_endpoints_can_be_set_one_by_one_instead_of_discovery(provider, settings, lead):
    settings.OIDC_OP_DISCOVERY_URL = ""
    settings.OIDC_OP_ISSUER = provider.url
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = f"{provider.url}/authorize"
    settings.OIDC_OP_TOKEN_ENDPOINT = f"{provider.url}/token"
    settings.OIDC_OP_USER_ENDPOINT = f"{provider.url}/userinfo"
    settings.OIDC_OP_JWKS_ENDPOINT = f"{provider.url}/jwks"
    provider.sign_in_as(lead.email)
    client = Client()

    assert sign_in(client).status_code == 302
    assert signed_in_user(client) == lead


def test_an_unreachable_provider_gives_a_clear_page(settings):
    settings.OIDC_OP_DISCOVERY_URL = "http://127.0.0.1:9/.well-known/openid-configuration"
    response = Client().get(reverse("oidc_authentication_init"))
    assert response.status_code == 503
    assert "signing in with your organisation’s account is unavailable" in response.content.decode()


def test_the_sign_in_page_offers_the_organisations_account(lead):
    page = Client().get(reverse("login"), {"next": "/items/"}).content.decode()
    assert "Sign in with your organisation’s account" in page
    assert f"{reverse('oidc_authentication_init')}?next=/items/" in page
    assert 'name="password"' in page


def test_without_configuration_single_sign_on_is_off(settings):
    settings.OIDC_RP_CLIENT_ID = ""
    client = Client()
    assert "organisation’s account" not in client.get(reverse("login")).content.decode()
    assert client.get(reverse("oidc_authentication_init")).status_code == 404
    callback = reverse("oidc_authentication_callback")
    assert client.get(callback, {"code": "x", "state": "y"}).status_code == 404


# --- Passwords turned off -----------------------------------------------------------------


@pytest.fixture
def passwords_off(settings):
    settings.TRACKER_LOCAL_LOGIN = False


def test_with_passwords_off_the_form_is_hidden_and_a_posted_password_refused(passwords_off, lead):
    client = Client()
    page = client.get(reverse("login")).content.decode()
    assert 'name="password"' not in page
    assert "Sign in with your organisation’s account" in page

    response = client.post(
        reverse("login"), {"username": lead.username, "password": "correct-horse-battery"}
    )

    assert response.status_code == 403
    assert "Signing in with a password is turned off" in response.content.decode()
    assert signed_in_user(client) is None
    posted = RequestFactory().post("/anywhere/")
    assert authenticate(posted, username=lead.username, password="correct-horse-battery") is None


def test_with_passwords_off_the_admin_signs_in_through_single_sign_on(passwords_off, provider):
    admin = factories.AdministratorFactory(username="admin", email="admin@example.gov.uk")
    client = Client()
    login = client.get("/admin/login/", {"next": "/admin/"})
    assert login.status_code == 302
    assert login["Location"].startswith(reverse("login"))
    refused = client.post(
        "/admin/login/?next=/admin/", {"username": "admin", "password": "correct-horse-battery"}
    )
    assert signed_in_user(client) is None
    assert refused.status_code == 302

    provider.sign_in_as(admin.email)
    assert sign_in(client, next_url="/admin/")["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_with_passwords_on_the_password_still_works(lead):
    client = Client()
    response = client.post(
        reverse("login"), {"username": lead.username, "password": "correct-horse-battery"}
    )
    assert response.status_code == 302
    assert signed_in_user(client) == lead


def test_a_deactivated_users_sso_session_ends(provider, lead):
    provider.sign_in_as(lead.email)
    client = Client()
    sign_in(client)
    lead.is_active = False
    lead.save()
    response = client.get(reverse("recommendations:item-list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
