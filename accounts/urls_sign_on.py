from django.urls import path

from accounts import views

# No namespace: mozilla-django-oidc reverses "oidc_authentication_callback" by that name.
urlpatterns = [
    path("oidc/authenticate/", views.SignOnStartView.as_view(), name="oidc_authentication_init"),
    path("oidc/callback/", views.SignOnCallbackView.as_view(), name="oidc_authentication_callback"),
    path("no-role/", views.NoRoleView.as_view(), name="no-role"),
]
