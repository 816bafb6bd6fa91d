"""What `routing` learns from here (it never imports contact, so contact hands it over in
ContactConfig.ready): the routing history, and the knowledge base for a cold start.

History: every inquiry with a queue, labelled with the queue it has now, which is the final
one after any forwarding or correction. Inquiries still waiting in the front desk's inbox
for routing (no queue) say nothing yet."""

from __future__ import annotations

from collections.abc import Iterator

from tenestetorget.contact.models import Inquiry
from tenestetorget.knowledge.models import ArticleVersion
from tenestetorget.routing.dataset import Example


def inquiry_history() -> Iterator[Example]:
    rows = (
        Inquiry.objects.filter(queue__isnull=False)
        .order_by("pk")
        .values_list("pk", "subject", "body", "queue__code", "channel")
    )
    for pk, subject, body, code, channel in rows.iterator(chunk_size=2000):
        yield Example(f"inquiry-{pk}", subject, body, code, channel=channel)


def knowledge_descriptions() -> Iterator[Example]:
    """Each published article linked to a queue, in each language, as a text of that queue:
    the words citizens and staff use for the matter."""
    rows = (
        ArticleVersion.objects.filter(article__published=True, article__queue__isnull=False)
        .order_by("pk")
        .values_list("pk", "title", "summary", "body", "article__queue__code", "language")
    )
    for pk, title, summary, body, code, language in rows.iterator(chunk_size=500):
        yield Example(f"article-{pk}", title, f"{summary}\n{body}"[:2000], code, lang=language)
