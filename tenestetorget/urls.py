"""URLs: public pages at the root, staff pages under /tenestetorget/, the API under /api/.

Errors get the site's own pages, with a reference to quote (core/errors.py), or JSON under
/api/.
"""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView

urlpatterns = [
    # Browsers ask for /favicon.ico whatever the page says; without this every page view
    # would log a 404 with an error reference.
    path(
        "favicon.ico",
        RedirectView.as_view(url=static("tenestetorget/favicon.svg"), permanent=True),
    ),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("tenestetorget/kunnskap/", include("tenestetorget.knowledge.urls")),
    path("tenestetorget/postmottak/", include("tenestetorget.mailroom.urls")),
    path("tenestetorget/utleige/", include("tenestetorget.booking.urls")),
    path("tenestetorget/", include("tenestetorget.contact.urls")),
    path("arkiv/", include("tenestetorget.records.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/v1/", include("tenestetorget.api.urls")),
    path("", include("tenestetorget.portal.urls")),
]

handler400 = "tenestetorget.core.errors.bad_request"
handler403 = "tenestetorget.core.errors.permission_denied"
handler404 = "tenestetorget.core.errors.page_not_found"
handler500 = "tenestetorget.core.errors.server_error"
