from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from accounts import views as account_views
from accounts.forms import AdminSignInForm, SignInForm

admin.site.login_form = AdminSignInForm
admin.site.site_header = "Inspection tracker administration"
admin.site.site_title = "Inspection tracker"

urlpatterns = [
    path(
        "accounts/login/",
        account_views.SignInView.as_view(authentication_form=SignInForm),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password/",
        auth_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "accounts/password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("accounts/", include("accounts.urls_sign_on")),
    # Before the admin's own URLs: with passwords off, its sign-in page sends staff to ours.
    path("admin/login/", account_views.admin_login, name="admin-login"),
    path("accounts/tokens/", include("api.urls_tokens")),
    path("api/", include("api.urls")),
    path("admin/", admin.site.urls),
    path("notifications/", include("notifications.urls")),
    path("saved-views/", include("accounts.urls")),
    path("calendar/", include("calendars.urls")),
    path("register/", include("public_register.urls")),
    path("reports/", include("reports.urls")),
    path("", include("recommendations.urls")),
]
