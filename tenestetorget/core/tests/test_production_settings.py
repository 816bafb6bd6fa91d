"""Production settings come from the environment alone, and a wrong environment stops the
site before it serves anything.

Each case starts a real process with the environment an operator would give it (the
`tenestetorget` console command or the WSGI module gunicorn imports), because the settings
are read once at start: a setting changed inside this test process proves nothing about
start-up.
"""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings

from tenestetorget import settings as project_settings

PROJECT_ROOT = Path(settings.BASE_DIR)
STRONG_KEY = secrets.token_urlsafe(50)
#: What the settings read; the test process's own values must not leak into the child.
CONTROLLED = (
    "DEBUG",
    "SECRET_KEY",
    "SECRET_KEY_FALLBACKS",
    "ALLOWED_HOSTS",
    "HTTPS",
    "CACHE_URL",
    "CACHE_KEY_PREFIX",
    "CSRF_TRUSTED_ORIGINS",
)


def run(tmp_path: Path, args: list[str], **env: str) -> subprocess.CompletedProcess[str]:
    child_env = {key: value for key, value in os.environ.items() if key not in CONTROLLED}
    child_env.update(
        DJANGO_SETTINGS_MODULE="tenestetorget.settings",
        TENESTETORGET_VAR_DIR=str(tmp_path / "var"),
        **env,
    )
    return subprocess.run(  # noqa: S603 - our own interpreter with our own arguments
        [sys.executable, *args],
        cwd=PROJECT_ROOT,
        env=child_env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def tenestetorget(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return run(tmp_path, ["-m", "tenestetorget", *args], **env)


PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": STRONG_KEY,
    "ALLOWED_HOSTS": "kommune.example",
    "HTTPS": "1",
}


# --- Point 3: no production without a secret key of its own -----------------------------


@pytest.mark.parametrize(
    ("case", "env"),
    [
        ("unset", {"DEBUG": "0"}),
        ("empty", {"DEBUG": "0", "SECRET_KEY": "  "}),
        ("committed demo key", {"DEBUG": "0", "SECRET_KEY": project_settings.DEMO_SECRET_KEY}),
        ("debug unset, demo key", {"SECRET_KEY": project_settings.DEMO_SECRET_KEY}),
        (
            "demo key as a fallback",
            {
                "DEBUG": "0",
                "SECRET_KEY": STRONG_KEY,
                "SECRET_KEY_FALLBACKS": project_settings.DEMO_SECRET_KEY,
            },
        ),
    ],
)
def test_start_up_refuses_a_missing_or_committed_key(tmp_path, case, env):
    result = tenestetorget(tmp_path, "check", **env)
    assert result.returncode != 0, f"{case}: started anyway\n{result.stdout}"
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY" in result.stderr
    # The operator is told what to do, not only what is wrong.
    assert "secrets.token_urlsafe" in result.stderr


def test_gunicorn_cannot_load_the_site_without_a_key(tmp_path):
    # gunicorn imports the WSGI module and never runs the system checks, so the refusal
    # has to happen while the settings are read.
    result = run(tmp_path, ["-c", "import tenestetorget.wsgi"], DEBUG="0")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_a_key_of_its_own_starts(tmp_path):
    result = tenestetorget(tmp_path, "check", DEBUG="0", SECRET_KEY=STRONG_KEY)
    assert result.returncode == 0, result.stderr


def test_debug_on_a_developers_machine_may_use_the_demo_key(tmp_path):
    result = tenestetorget(tmp_path, "check", DEBUG="1")
    assert result.returncode == 0, result.stderr


# --- Point 4: production configured by the environment ----------------------------------


def test_deploy_check_passes_with_the_documented_production_environment(tmp_path):
    result = tenestetorget(tmp_path, "check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    ("case", "change", "warning"),
    [
        ("without HTTPS", {"HTTPS": "0"}, "security.W008"),
        ("with a short key", {"SECRET_KEY": "short"}, "security.W009"),
        ("with DEBUG", {"DEBUG": "1"}, "security.W018"),
    ],
)
def test_deploy_check_fails_on_a_wrong_environment(tmp_path, case, change, warning):
    env = {**PRODUCTION, **change}
    result = tenestetorget(tmp_path, "check", "--deploy", "--fail-level", "WARNING", **env)
    assert result.returncode != 0, f"{case}: the deploy check passed"
    assert warning in result.stdout + result.stderr


def test_https_turns_on_secure_cookies_hsts_redirect_and_proxy_trust(tmp_path):
    code = (
        "from django.conf import settings as s; "
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, "
        "s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SECURE_PROXY_SSL_HEADER)"
    )
    on = run(tmp_path, ["-c", "import django; django.setup(); " + code], **PRODUCTION)
    assert on.returncode == 0, on.stderr
    assert on.stdout.split() == [
        "True",
        "True",
        "True",
        "31536000",
        "True",
        "('HTTP_X_FORWARDED_PROTO',",
        "'https')",
    ]
    off = run(
        tmp_path, ["-c", "import django; django.setup(); " + code], **{**PRODUCTION, "HTTPS": "0"}
    )
    assert off.stdout.split()[:5] == ["False", "False", "False", "0", "False"]
    assert off.stdout.split()[5] == "None"


def test_https_site_redirects_plain_http_and_trusts_the_proxy(tmp_path):
    # A real request through the WSGI application as gunicorn would make it.
    code = """
import io, sys
from tenestetorget.wsgi import application
def call(headers):
    environ = {"REQUEST_METHOD": "GET", "PATH_INFO": "/", "SERVER_NAME": "kommune.example",
               "SERVER_PORT": "80", "HTTP_HOST": "kommune.example", "wsgi.url_scheme": "http",
               "wsgi.input": io.BytesIO(), "wsgi.errors": sys.stderr, **headers}
    seen = {}
    def start(status, response_headers):
        seen["status"] = status
        seen["headers"] = dict(response_headers)
    b"".join(application(environ, start))
    return seen
plain = call({"PATH_INFO": "/login/"})
print(plain["status"], plain["headers"].get("Location"))
proxied = call({"PATH_INFO": "/login/", "HTTP_X_FORWARDED_PROTO": "https"})
print(proxied["status"].split()[0] != "301", proxied["headers"].get("Strict-Transport-Security"))
"""
    result = run(tmp_path, ["-c", code], **PRODUCTION)
    assert result.returncode == 0, result.stderr
    plain, proxied = result.stdout.strip().splitlines()[-2:]
    assert plain == "301 Moved Permanently https://kommune.example/login/"
    assert proxied == "True max-age=31536000; includeSubDomains"


def test_cache_url_gives_redis_and_unset_gives_memory():
    assert project_settings.cache_from_url("redis://127.0.0.1:6379/2") == {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:6379/2",
        "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "tenestetorget"),
    }
    assert project_settings.cache_from_url("")["BACKEND"].endswith("LocMemCache")
    with pytest.raises(ValueError, match="CACHE_URL"):
        project_settings.cache_from_url("memcached://127.0.0.1")


def test_the_shared_cache_is_the_one_cache_url_names(tmp_path, shared_cache):
    # One process writes through CACHE_URL, another reads it: what production's workers do.
    write = "from django.core.cache import cache; cache.set('tt-probe', 'seen', 60)"
    read = "from django.core.cache import cache; print(cache.get('tt-probe'))"
    env = {**PRODUCTION, **shared_cache}
    for code in (write, read):
        result = run(tmp_path, ["-c", "import django; django.setup(); " + code], **env)
        assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "seen"


# --- Pages: the policy, caching and sessions --------------------------------------------


@pytest.mark.django_db
def test_every_page_has_the_content_security_policy(client):
    for path in ("/", "/login/", "/finst-ikkje/"):
        policy = client.get(path)["Content-Security-Policy"]
        directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
        assert directives["default-src"] == "'self'", path
        assert directives["script-src"] == "'self'", path
        assert directives["style-src"] == "'self'", path
        assert directives["object-src"] == "'none'", path
        assert directives["frame-ancestors"] == "'none'", path
        assert directives["base-uri"] == "'none'", path
        assert "unsafe" not in policy, path


@pytest.mark.django_db
@pytest.mark.urls("tenestetorget.core.tests.urls_for_tests")
def test_a_downloaded_file_goes_without_the_page_policy(client):
    # A policy on a PDF stops the browser's own viewer; nosniff stays.
    response = client.get("/test/fil/")
    assert response.status_code == 200
    assert "Content-Security-Policy" not in response.headers
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
def test_staff_pages_are_never_stored(client, django_user_model):
    for path in ("/login/", "/tenestetorget/", "/api/v1/inquiries/", "/admin/"):
        assert "no-store" in client.get(path).get("Cache-Control", ""), path
    # Public pages may be cached by the browser as before ...
    assert "no-store" not in client.get("/").get("Cache-Control", "")
    # ... except when a member of staff sees them: internal articles show there too.
    client.force_login(django_user_model.objects.create_superuser("admin", "a@example.no", "pw"))
    assert "no-store" in client.get("/").get("Cache-Control", "")


@pytest.mark.django_db
def test_a_staff_session_lasts_a_working_day_and_ends_with_the_browser(client, django_user_model):
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    django_user_model.objects.create_user("kari", password="eit godt passord 42")
    response = client.post("/login/", {"username": "kari", "password": "eit godt passord 42"})
    assert response.status_code == 302
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    # A browser-session cookie: no expiry date, no max-age.
    assert cookie["expires"] == ""
    assert cookie["max-age"] == ""
    left = Session.objects.get().expire_date - timezone.now()
    assert 8.9 * 3600 < left.total_seconds() <= 9 * 3600


# --- Point 5: the demo serves with DEBUG off ------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _get(url: str) -> tuple[int, str, dict[str, str]]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - loopback
            return response.status, response.read().decode(), dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(), dict(error.headers)


def test_the_demo_server_with_debug_off_serves_static_files_and_the_sites_error_pages(tmp_path):
    # As `make demo` runs it: runserver without --insecure, DEBUG off, the machine's own key.
    port = _free_port()
    child_env = {key: value for key, value in os.environ.items() if key not in CONTROLLED}
    child_env.update(
        DJANGO_SETTINGS_MODULE="tenestetorget.settings",
        TENESTETORGET_VAR_DIR=str(tmp_path / "var"),
        DEBUG="0",
        SECRET_KEY=STRONG_KEY,
        EMAIL_BACKEND="file",
        # Its own empty database: these pages need none, and the test run's may be in memory.
        DATABASE_URL=f"sqlite:///{tmp_path / 'demo.sqlite3'}",
    )
    server = subprocess.Popen(  # noqa: S603 - our own interpreter with our own arguments
        [sys.executable, "-m", "tenestetorget", "runserver", "--noreload", f"127.0.0.1:{port}"],
        cwd=PROJECT_ROOT,
        env=child_env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"the server did not start: {server.stderr.read()}")  # type: ignore[union-attr]
                time.sleep(0.2)
        for path in (
            "/static/tenestetorget/site.css",
            "/static/vendor/htmx.org/dist/htmx.min.js",
            "/static/vendor/@digdir/designsystemet-css/dist/src/index.css",
        ):
            status, _body, _headers = _get(base + path)
            assert status == 200, path
        status, page, headers = _get(base + "/finst-ikkje/")
        assert status == 404
        assert "Fann ikkje sida" in page
        assert "Content-Security-Policy" in headers
        # Django's debug page says "Using the URLconf defined in".
        assert "URLconf" not in page
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_the_document_store_is_chosen_by_environment_alone(tmp_path: Path) -> None:
    # Another store (django-storages' S3, say) is a storage class and its options: here a
    # FileSystemStorage with another folder stands in for it, since the class is all that
    # changes.
    folder = tmp_path / "elsewhere"
    probe = (
        "import django; django.setup();"
        "from django.core.files.base import ContentFile;"
        "from django.core.files.storage import storages;"
        "print(storages['default'].save('probe.txt', ContentFile(b'x')))"
    )
    result = run(
        tmp_path,
        ["-c", probe],
        **PRODUCTION,
        STORAGE_BACKEND="django.core.files.storage.FileSystemStorage",
        STORAGE_OPTIONS=f'{{"location": "{folder}"}}',
    )
    assert result.returncode == 0, result.stderr
    assert (folder / "probe.txt").read_bytes() == b"x"
