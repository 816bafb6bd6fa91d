"""URLs: public pages at the root, staff pages under /tenestetorget/, the API under /api/."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("tenestetorget/kunnskap/", include("tenestetorget.knowledge.urls")),
    path("tenestetorget/", include("tenestetorget.contact.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/v1/", include("tenestetorget.api.urls")),
    path("", include("tenestetorget.portal.urls")),
]
