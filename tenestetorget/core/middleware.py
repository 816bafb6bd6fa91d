"""Language choice: Nynorsk first.

Django's LocaleMiddleware would follow the browser's Accept-Language, so a browser set to
English or Bokmål would never see the municipality's own written language. For pages we use,
in order: the language the person chose with the language switch (cookie), the staff member's
own setting, then Nynorsk. The API follows Accept-Language, as clients expect.
"""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation

SUPPORTED = {code for code, _ in settings.LANGUAGES}


class LanguageMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        language = self.language_for(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        if request.path.startswith("/api/"):
            response.headers["Vary"] = ", ".join(
                filter(None, [response.headers.get("Vary"), "Accept-Language"])
            )
        return response

    def language_for(self, request: HttpRequest) -> str:
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
