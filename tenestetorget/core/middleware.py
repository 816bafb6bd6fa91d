"""Language choice: Nynorsk first.

Django's LocaleMiddleware would follow the browser's Accept-Language, so a browser set to
English or Bokmål would never see the municipality's own written language. For pages we use,
in order: the language the person chose with the language switch (cookie), the staff member's
own setting, then Nynorsk. The API follows Accept-Language, as clients expect.

ResponseSecurityMiddleware keeps staff pages out of every cache and leaves file downloads
without the page policy.
"""

from collections.abc import Callable

from django.conf import settings
from django.http import FileResponse, HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import add_never_cache_headers

SUPPORTED = {code for code, _ in settings.LANGUAGES}


class LanguageMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        language = language_for(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        if request.path.startswith("/api/"):
            response.headers["Vary"] = ", ".join(
                filter(None, [response.headers.get("Vary"), "Accept-Language"])
            )
        return response


def language_for(request: HttpRequest) -> str:
    """The language of the answer to `request` (also for error pages, which may come before
    this middleware has run)."""
    if request.path.startswith("/api/"):
        return translation.get_language_from_request(request)
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    if chosen in SUPPORTED:
        return chosen
    user = getattr(request, "user", None)
    profile = getattr(user, "staff_profile", None) if user and user.is_authenticated else None
    if profile is not None and profile.language in SUPPORTED:
        return str(profile.language)
    return str(settings.LANGUAGE_CODE)


#: Where staff work: their pages, the admin, the API and logging in and out.
STAFF_PATHS = ("/tenestetorget/", "/admin/", "/api/", "/login/", "/logout/")


class ResponseSecurityMiddleware:
    """What a response may leave behind.

    * Staff pages carry inquiries, names and addresses: `Cache-Control: no-store` (with
      Django's other never-cache headers), so that neither a proxy nor the browser's cache
      or back button keeps them after logging out on a shared computer. A public page seen
      by a logged-in member of staff may show internal articles, so it counts as a staff page.
    * A file response does not get the pages' policy but keeps its own: uploaded files are
      served by core.file_responses with `sandbox; default-src 'none'` (no scripts, no
      requests, no cookies even if a file were a page) and `X-Content-Type-Options: nosniff`.
      The pages' policy would add nothing there. Sits inside Django's CSP middleware, which
      leaves a response alone whose policy is set to empty (as `csp_override({})` does).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.path.startswith(STAFF_PATHS) or _is_logged_in(request):
            add_never_cache_headers(response)
        if isinstance(response, FileResponse):
            response._csp_config = {}
        return response


def _is_logged_in(request: HttpRequest) -> bool:
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated)
