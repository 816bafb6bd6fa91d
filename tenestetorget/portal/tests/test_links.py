"""Every link on the public pages leads somewhere: the pages and the knowledge content (with
its links written into the article texts) promise nothing that answers 404."""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest
from django.test import Client
from django.urls import reverse

from tenestetorget.demo.services import load_demo_organisation
from tenestetorget.knowledge.models import Kind
from tenestetorget.knowledge.selectors import public_articles
from tenestetorget.knowledge.services import load_content

#: Not crawled further: staff pages behind the login, the API, static files.
NOT_PUBLIC = ("/tenestetorget/", "/admin/", "/api/", "/static/", "/i18n/", "/login/")


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in {"href", "src", "action"} and value:
                self.links.append(value)


def internal(base: str, link: str) -> str | None:
    """The path (and query) of a link to this site, else None."""
    parts = urlsplit(urljoin(base, link))
    if parts.scheme not in {"", "http"} or parts.netloc not in {"", "testserver"}:
        return None  # tel:, mailto: and other sites
    return parts.path + (f"?{parts.query}" if parts.query else "")


@pytest.fixture
def demo_content(db: Any) -> None:
    load_demo_organisation()
    load_content()


def test_every_internal_link_on_the_public_pages_answers(demo_content: None) -> None:
    client = Client()
    # From the home page, and from every public article: some are found only by search.
    start = [
        "/",
        *(
            reverse("portal:service" if a.kind == Kind.SERVICE else "portal:article", args=[a.slug])
            for a in public_articles()
        ),
    ]
    status: dict[str, int] = {}
    found_on: dict[str, str] = {}
    todo = list(reversed(start))
    while todo:
        url = todo.pop()
        if url in status or url.startswith(NOT_PUBLIC):
            continue
        response = client.get(url)
        status[url] = response.status_code
        if "text/html" not in response.get("Content-Type", ""):
            continue
        parser = Links()
        parser.feed(response.content.decode())
        for link in parser.links:
            target = internal(url, link)
            if target is not None and target not in status:
                found_on.setdefault(target, url)
                todo.append(target)
    broken = {url: code for url, code in status.items() if code != 200}
    assert len(status) > 150
    assert not broken, "\n".join(
        f"{url} ({code}), linked on {found_on.get(url)}" for url, code in broken.items()
    )
