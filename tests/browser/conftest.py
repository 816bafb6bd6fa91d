"""Browser tests: Playwright's sync API driving Debian's chromium against pytest-django's live
server, and an axe-core check of each page a test visits.

Playwright never downloads a browser here (`make browser-deps` installs Debian's chromium);
its own node driver ships inside the Python package.
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from playwright.sync_api import Browser, Locator, Page, Request, Response, expect, sync_playwright

#: Debian's chromium, or another chromium given in CHROMIUM (e.g. on a developer's laptop).
CHROMIUM = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
#: Headless, no GPU, and no background traffic: this machine's network is closed, and
#: chromium would otherwise keep trying to reach Google's services.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE_JS = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
#: axe-core impacts that fail a test; "moderate" and "minor" are left to review.
FAILING_IMPACTS = ("serious", "critical")


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """One chromium per test module.

    Not per session: while Playwright's sync API runs, its event loop counts as running in
    the main thread, so Django refuses ORM calls there unless DJANGO_ALLOW_ASYNC_UNSAFE is
    set. Keeping both to the browser modules leaves every other test with Django's guard.
    """
    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"chromium not found at {CHROMIUM}: run `make browser-deps` (Debian's chromium) "
            "or set CHROMIUM to a chromium binary",
            pytrace=False,
        )
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
            )
            try:
                yield chromium
            finally:
                chromium.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


class Network:
    """The requests a browser context has in flight, so a test can wait until background
    requests (htmx) are done before it goes on, as a person would."""

    def __init__(self) -> None:
        self.inflight: set[Request] = set()
        self.last_change = time.monotonic()

    def started(self, request: Request) -> None:
        self.inflight.add(request)
        self.last_change = time.monotonic()

    def ended(self, request: Request) -> None:
        self.inflight.discard(request)
        self.last_change = time.monotonic()

    def settle(self, page: Page, quiet_ms: int = 500, timeout_ms: int = 15_000) -> None:
        """Wait until nothing is in flight and nothing has started for `quiet_ms` (an htmx
        trigger with a delay fires a little after the typing)."""
        deadline = time.monotonic() + timeout_ms / 1000
        while time.monotonic() < deadline:
            # Playwright delivers its events only while it waits, so wait in small steps.
            page.wait_for_timeout(50)
            quiet = (time.monotonic() - self.last_change) * 1000 >= quiet_ms
            if not self.inflight and quiet:
                return
        pending = ", ".join(sorted(r.url for r in self.inflight))
        pytest.fail(f"requests still in flight after {timeout_ms} ms: {pending}", pytrace=False)


@pytest.fixture
def network() -> Network:
    return Network()


#: True once a <details> panel has opened all the way: every child inside the panel's box,
#: and the box the same height as at the previous animation frame (the opening eases out
#: for a while after the content is in).
_PANEL_OPEN = """panel => {
    const box = panel.getBoundingClientRect();
    const still = panel.previousHeight === box.height;
    panel.previousHeight = box.height;
    return still && [...panel.children].every(child =>
        child.getBoundingClientRect().bottom <= box.bottom + 1);
}"""


def open_panel(page: Page, summary: str) -> Locator:
    """Open the <details> panel whose summary says `summary`, and return it once it is
    all open.

    Designsystemet animates a panel's opening: for 0.4 s its content grows from nothing,
    clipped meanwhile, and what is in it moves. A click in that time can miss without an
    error: Playwright checks where the mouse goes down (on the button), but the button
    moves before the mouse comes up, so the click event goes to the form around it and
    the form is never sent; the test then waits in vain for the page after it. A person
    takes longer than 0.4 s to fill in a form; a test does not, so it waits here.
    """
    panel = page.locator("details", has=page.locator("summary", has_text=summary))
    panel.locator("summary").click()
    expect(panel).to_have_attribute("open", "")
    page.wait_for_function(_PANEL_OPEN, arg=panel.element_handle())
    return panel


@pytest.fixture
def page(browser: Browser, live_server: Any, network: Network) -> Iterator[Page]:
    """A fresh browser context (no cookies) on the live server, in Nynorsk.

    Any static file or page that answers with an error fails the test at teardown: a page
    without its stylesheet would pass the contrast checks for the wrong reason.
    """
    context = browser.new_context(base_url=live_server.url, locale="nn-NO")
    context.set_default_timeout(15_000)
    broken: list[str] = []

    def on_response(response: Response) -> None:
        # 4xx pages are what a test provokes on purpose (e.g. a form error shown with 400);
        # a missing static file or a server error never is.
        if response.status >= 500 or (response.status >= 400 and "/static/" in response.url):
            broken.append(f"{response.status} {response.request.method} {response.url}")

    context.on("response", on_response)
    context.on("request", network.started)
    context.on("requestfinished", network.ended)
    context.on("requestfailed", network.ended)
    try:
        yield context.new_page()
    finally:
        context.close()
    if broken:
        pytest.fail("Requests that failed:\n" + "\n".join(broken), pytrace=False)


def format_violations(url: str, violations: list[dict[str, Any]]) -> str:
    lines = [f"axe-core found {len(violations)} serious or critical violation(s) on {url}:"]
    for violation in violations:
        lines.append(
            f"\n[{violation.get('impact')}] {violation['id']}: {violation['help']}"
            f"\n  {violation.get('helpUrl', '')}"
        )
        for node in violation.get("nodes", [])[:10]:
            target = " ".join(str(t) for t in node.get("target", []))
            summary = " ".join((node.get("failureSummary") or "").split())
            lines.append(f"  - {target}\n      {node.get('html', '')[:200]}\n      {summary}")
        if len(violation.get("nodes", [])) > 10:
            lines.append(f"  ... and {len(violation['nodes']) - 10} more element(s)")
    return "\n".join(lines)


def run_axe(page: Page, axe_source: str) -> list[dict[str, Any]]:
    """All axe-core violations on the page as it is now."""
    page.wait_for_load_state("load")
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        if page.url.startswith("http"):
            # From the site's static files: the pages' Content-Security-Policy allows scripts
            # from the site, never inline ones.
            page.add_script_tag(url="/static/vendor/axe-core/axe.min.js")
        else:
            page.add_script_tag(content=axe_source)
    result = page.evaluate(
        "async () => await window.axe.run(document, {resultTypes: ['violations']})"
    )
    violations: list[dict[str, Any]] = result["violations"]
    return violations


@pytest.fixture(scope="session")
def axe_source() -> str:
    if not AXE_JS.exists():
        pytest.fail(f"{AXE_JS} is missing: run `make setup` (npm ci)", pytrace=False)
    return AXE_JS.read_text(encoding="utf-8")


@pytest.fixture
def assert_accessible(axe_source: str) -> Callable[[Page], None]:
    """Call with a page: fails the test with a readable list when axe-core finds a serious
    or critical violation on it."""

    def check(page: Page) -> None:
        violations = [v for v in run_axe(page, axe_source) if v.get("impact") in FAILING_IMPACTS]
        if violations:
            pytest.fail(format_violations(page.url, violations), pytrace=False)

    return check
