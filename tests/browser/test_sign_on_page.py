"""The sign-in page with single sign-on configured, with and without the password form:
axe-core finds no serious or critical violation, and nothing breaks the CSP."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.test_accessibility import PHONE_WIDTH, audit

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("local_login", [True, False])
def test_the_sign_in_page_with_single_sign_on(page, console_errors, settings, local_login):
    settings.OIDC_RP_CLIENT_ID = "tracker"
    settings.OIDC_OP_DISCOVERY_URL = "https://login.example.org/.well-known/openid-configuration"
    settings.TRACKER_LOCAL_LOGIN = local_login

    problems = audit(page, ["/accounts/login/"], console_errors)
    problems += audit(page, ["/accounts/login/"], console_errors, width=PHONE_WIDTH)

    assert not problems, "\n".join(problems)
    start = page.get_by_role("button", name="Sign in with your organisation’s account")
    expect(start).to_have_attribute("href", "/accounts/oidc/authenticate/")
    expect(page.get_by_label("Password")).to_have_count(1 if local_login else 0)
