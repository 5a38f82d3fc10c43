"""The parts of django-allauth Wingman serves, under /accounts/.

Not allauth.urls: that would add sign-up, e-mail and password pages Wingman
must not have. Only the identity providers' round trips are mounted here:
OIDC (/accounts/oidc/<provider_id>/login/ and .../callback/) and SAML
(/accounts/saml/<slug>/login/, acs/, acs/finish/, sls/, metadata/), plus the
pages allauth itself redirects to.
"""

from allauth.socialaccount import views as social_views
from allauth.socialaccount.providers.openid_connect import urls as oidc_urls
from allauth.socialaccount.providers.saml import urls as saml_urls
from django.urls import include, path
from django.views.generic import RedirectView

from accounts import views

urlpatterns = [
    # oidc_urls carries its own "oidc/" prefix (allauth setting
    # SOCIALACCOUNT_OPENID_CONNECT_URL_PREFIX).
    path("", include(oidc_urls.urlpatterns)),
    path("", include(saml_urls.urlpatterns)),
    path(
        "sso/cancelled/",
        social_views.login_cancelled,
        name="socialaccount_login_cancelled",
    ),
    path("sso/error/", social_views.login_error, name="socialaccount_login_error"),
    # allauth reverses these names; both are Wingman's own pages.
    path(
        "sso/login/",
        RedirectView.as_view(pattern_name="accounts:login", query_string=True),
        name="account_login",
    ),
    path("sso/inactive/", views.sso_inactive, name="account_inactive"),
]
