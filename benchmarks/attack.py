"""The outside test, run again: attacks on a real server as an outside tester would make them.

The tests in the suite prove each control on its own (docs/security.md names them). This script
checks the controls together, the way the outside test found them broken: a production-like
server (gunicorn with several worker processes, DEBUG off, the shared cache on Redis, its own
SECRET_KEY) on loopback, attacked over HTTP only. Each attack is the reproduction from issue 8;
the last line printed is a JSON summary with the figures quoted in docs/security.md.

    .venv/bin/python benchmarks/attack.py            # SQLite in a temporary folder
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tt_attack .venv/bin/python benchmarks/attack.py

It needs Redis at 127.0.0.1:6379 (database 14 is used and emptied of its own keys).
"""

from __future__ import annotations

import concurrent.futures
import html.parser
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
WORKERS = 3
RATE_LIMIT = 10
DEMO_KEY = "demo-only-insecure-key-set-SECRET_KEY-in-production"


@dataclass
class Findings:
    requests: int = 0
    server_errors: int = 0
    checks: list[tuple[str, bool, str]] = field(default_factory=list)

    def check(self, name: str, ok: bool, detail: str = "") -> None:
        self.checks.append((name, ok, detail))
        print(f"{'ok  ' if ok else 'FAIL'} {name}{': ' + detail if detail else ''}", flush=True)


class Client:
    """requests.Session that counts every request and every 5xx."""

    def __init__(self, base: str, findings: Findings) -> None:
        self.base = base
        self.findings = findings
        self.session = requests.Session()

    def request(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        kwargs.setdefault("allow_redirects", False)
        kwargs.setdefault("timeout", 60)
        response = self.session.request(method, self.base + path, **kwargs)
        self.findings.requests += 1
        if response.status_code >= 500:
            self.findings.server_errors += 1
            print(f"     5xx: {method} {path} -> {response.status_code}", flush=True)
        return response

    def get(self, path: str, **kwargs: Any) -> requests.Response:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, **kwargs: Any) -> requests.Response:
        return self.request("POST", path, **kwargs)


class FormFields(html.parser.HTMLParser):
    """The fields of the page's POST forms: hidden values, the first choice of each select
    and radio group."""

    def __init__(self) -> None:
        super().__init__()
        self.fields: dict[str, str] = {}
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "input" and a.get("name"):
            kind = a.get("type", "text")
            if kind == "hidden" or (kind == "radio" and a["name"] not in self.fields):
                self.fields.setdefault(a["name"], a.get("value", ""))
        elif tag == "select":
            self._select = a.get("name")
        elif tag == "option" and self._select and a.get("value"):
            self.fields.setdefault(self._select, a["value"])

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def contact_form(client: Client) -> dict[str, str]:
    page = client.get("/kontakt/")
    parser = FormFields()
    parser.feed(page.text)
    fields = parser.fields
    fields.update(
        name="Kari Nordmann",
        email="kari@example.org",
        subject="Brøyting av vegen",
        body="Når blir vegen brøyta?",
        website="",
    )
    fields.pop("organisation_number", None)
    return fields


def contact_post(base: str, findings: Findings, files: Any = None) -> requests.Response:
    """One honest citizen's visit: the form, then the post (own session, own CSRF cookie)."""
    client = Client(base, findings)
    fields = contact_form(client)
    return client.post("/kontakt/", data=fields, files=files, headers={"Referer": base})


def attack_rate_limit(base: str, findings: Findings, count_inquiries: Callable[[], int]) -> None:
    before = count_inquiries()
    with concurrent.futures.ThreadPoolExecutor(max_workers=20) as pool:
        answers = list(pool.map(lambda _: contact_post(base, findings), range(100)))
    created = count_inquiries() - before
    codes = sorted({a.status_code for a in answers})
    findings.check(
        "contact form: 100 posts 20 at a time over "
        f"{WORKERS} processes create at most the limit ({RATE_LIMIT})",
        created == RATE_LIMIT,
        f"{created} created, answers {codes}",
    )


def attack_junk_then_honest(base: str, findings: Findings, flush: Callable[[], None]) -> None:
    flush()
    junk = Client(base, findings)
    fields = contact_form(junk)
    fields.pop("form_token", None)
    for _ in range(10):
        junk.post("/kontakt/", data=fields, headers={"Referer": base})
    honest = contact_post(base, findings)
    findings.check(
        "ten junk posts without a form token do not lock out an honest sender",
        honest.status_code == 302 and "/kontakt/kvittering/" in honest.headers.get("Location", ""),
        f"honest post answered {honest.status_code}",
    )


def attack_html_upload(base: str, findings: Findings) -> None:
    name = "a" * 195 + ".html" + "b" * 20 + ".pdf"
    page = b"<!doctype html><html><script>alert(document.cookie)</script></html>"
    answer = contact_post(base, findings, files={"attachments": (name, page, "application/pdf")})
    findings.check(
        "an HTML page named .pdf through the contact form is refused",
        answer.status_code in (200, 400) and "kvittering" not in answer.headers.get("Location", ""),
        f"answered {answer.status_code}",
    )


def attack_forged_receipt(base: str, findings: Findings) -> None:
    # Sign receipt tokens with the committed demo key, as the outside tester did.
    from django.core import signing

    leaks = 0
    for pk in range(1, 13):
        token = signing.Signer(key=DEMO_KEY, salt="tenestetorget.portal.receipt").sign_object(
            {"i": pk}
        )
        answer = Client(base, findings).get(f"/kontakt/kvittering/{token}/")
        leaks += answer.status_code == 200
    findings.check("receipt links forged with the demo key read nothing", leaks == 0, f"{leaks}/12")


def attack_login(base: str, findings: Findings) -> None:
    client = Client(base, findings)
    for _ in range(30):
        client.get("/login/")
        client.post(
            "/login/",
            data={
                "username": "tenestetorget",
                "password": "wrong",
                "csrfmiddlewaretoken": client.session.cookies.get("csrftoken", ""),
            },
            headers={"Referer": base},
        )
    client.get("/login/")
    right = client.post(
        "/login/",
        data={
            "username": "tenestetorget",
            "password": "demo",
            "csrfmiddlewaretoken": client.session.cookies.get("csrftoken", ""),
        },
        headers={"Referer": base},
    )
    findings.check(
        "30 wrong passwords, then the right one is refused with a reason",
        right.status_code == 429 and "sessionid" not in right.cookies,
        f"answered {right.status_code}",
    )


def attack_extreme_input(base: str, findings: Findings, token: str) -> None:
    api = Client(base, findings)
    api.session.headers["Authorization"] = f"Token {token}"
    deep = "[" * 1500 + "]" * 1500
    answers = {
        "JSON nested 1,500 deep": api.post(
            "/api/v1/inquiries/", data=deep, headers={"Content-Type": "application/json"}
        ),
        "a lone surrogate with an Idempotency-Key": api.post(
            "/api/v1/inquiries/",
            data='{"channel": "email", "subject": "\\ud800", "body": "x"}',
            headers={"Content-Type": "application/json", "Idempotency-Key": "k-1"},
        ),
        "received_at in year 1": api.post(
            "/api/v1/inquiries/",
            json={
                "channel": "email",
                "subject": "Gamal",
                "body": "x",
                "received_at": "0001-02-05T10:00:00Z",
                "sender": {"name": "Kari", "email": "kari@example.org"},
            },
        ),
    }
    staff = Client(base, findings)
    staff.get("/login/")
    staff.post(
        "/login/",
        data={
            "username": "tenestetorget",
            "password": "demo",
            "csrfmiddlewaretoken": staff.session.cookies.get("csrftoken", ""),
        },
        headers={"Referer": base},
    )
    for month in ("9999-12", "0001-01"):
        path = f"/tenestetorget/statistikk/?month={month}"
        answers[f"statistics month {month}"] = staff.get(path)
    for name, answer in answers.items():
        findings.check(f"{name} is a 4xx", 400 <= answer.status_code < 500, str(answer.status_code))


def check_headers(base: str, findings: Findings) -> None:
    client = Client(base, findings)
    for path in ("/", "/kontakt/", "/login/", "/finst-ikkje/"):
        answer = client.get(path)
        findings.check(
            f"{path} has a Content-Security-Policy",
            "Content-Security-Policy" in answer.headers,
        )
    missing = client.get("/finst-ikkje/")
    findings.check(
        "a 404 is the site's own page with a reference, no debug page",
        missing.status_code == 404
        and "Referanse" in missing.text
        and "Traceback" not in missing.text
        and "DEBUG = True" not in missing.text,
    )
    staff = client.get("/tenestetorget/")
    findings.check(
        "staff pages are not cached",
        "no-store" in staff.headers.get("Cache-Control", ""),
        staff.headers.get("Cache-Control", ""),
    )


def attack_revoked_token(base: str, findings: Findings, env: dict[str, str]) -> None:
    token = tt(env, "api-token", "tenestetorget").strip().split()[-1]
    api = Client(base, findings)
    api.session.headers["Authorization"] = f"Token {token}"
    # Every worker process learns the token (several rounds spread over the processes).
    for _ in range(WORKERS * 4):
        api.get("/api/v1/queues/")
    tt(env, "api-token", "tenestetorget", "--rotate")
    still = sum(api.get("/api/v1/queues/").status_code == 200 for _ in range(WORKERS * 4))
    findings.check("a rotated token stops at once in every worker", still == 0, f"{still} accepted")


def tt(env: dict[str, str], *args: str) -> str:
    return subprocess.run(
        [str(BIN / "tenestetorget"), *args], env=env, check=True, capture_output=True, text=True
    ).stdout


def main() -> int:
    import redis

    findings = Findings()
    with tempfile.TemporaryDirectory(prefix="tt-attack-") as var:
        prefix = f"tt-attack-{secrets.token_hex(4)}"
        env = {
            **os.environ,
            "DEBUG": "0",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "TENESTETORGET_VAR_DIR": var,
            "ALLOWED_HOSTS": "127.0.0.1",
            "CACHE_URL": "redis://127.0.0.1:6379/14",
            "CACHE_KEY_PREFIX": prefix,
            "EMAIL_BACKEND": "file",
            "CONTACT_FORM_MIN_SECONDS": "0",
            "CONTACT_FORM_RATE_LIMIT": str(RATE_LIMIT),
            "DJANGO_SETTINGS_MODULE": "tenestetorget.settings",
        }
        print("Setting up a production-like server (migrate, demo organisation, knowledge) ...")
        tt(env, "migrate", "--no-input", "-v", "0")
        tt(env, "load-demo", "--no-history")
        tt(env, "collectstatic", "--no-input", "-v", "0")
        token = tt(env, "api-token", "tenestetorget").strip().split()[-1]
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        server_log = (Path(var) / "server.log").open("w")
        server = subprocess.Popen(
            [str(BIN / "gunicorn"), "tenestetorget.wsgi", "-w", str(WORKERS), "-b",
             f"127.0.0.1:{port}", "--access-logfile", "/dev/null"],
            env=env, stdout=subprocess.DEVNULL, stderr=server_log,
        )  # fmt: skip
        cache = redis.Redis.from_url("redis://127.0.0.1:6379/14")

        def flush() -> None:
            for key in cache.scan_iter(f"{prefix}*"):
                cache.delete(key)

        def count_inquiries() -> int:
            out = tt(env, "shell", "-c", "from tenestetorget.contact.models import Inquiry;"
                     "print(Inquiry.objects.count())")  # fmt: skip
            return int(out.strip().splitlines()[-1])

        try:
            for _ in range(100):
                try:
                    requests.get(base + "/", timeout=60)
                    break
                except requests.RequestException:
                    time.sleep(0.2)
            sys.path.insert(0, str(ROOT))
            os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tenestetorget.settings")
            os.environ.setdefault("SECRET_KEY", env["SECRET_KEY"])
            import django

            django.setup()
            check_headers(base, findings)
            attack_rate_limit(base, findings, count_inquiries)
            attack_junk_then_honest(base, findings, flush)
            flush()
            attack_html_upload(base, findings)
            attack_forged_receipt(base, findings)
            attack_extreme_input(base, findings, token)
            attack_login(base, findings)
            attack_revoked_token(base, findings, env)
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)
            server_log.close()
            flush()
            log = (Path(var) / "server.log").read_text()
            # Django logs every 5xx as "Internal Server Error: <path>" with its traceback.
            logged_5xx = len(re.findall(r"^Internal Server Error", log, re.M))
            if logged_5xx:
                print(log[-6000:])
    failed = [name for name, ok, _ in findings.checks if not ok]
    summary = {
        "requests": findings.requests,
        "server_errors": findings.server_errors,
        "server_errors_in_log": logged_5xx,
        "checks": len(findings.checks),
        "failed": failed,
    }
    print(json.dumps(summary, ensure_ascii=False))
    return 1 if failed or findings.server_errors or logged_5xx else 0


if __name__ == "__main__":
    sys.exit(main())
