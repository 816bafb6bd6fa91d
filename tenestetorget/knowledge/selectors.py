"""Reads of the knowledge base for other apps: article texts ready to use."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db.models import QuerySet

from tenestetorget.knowledge.models import (
    Article,
    ArticleAttachment,
    ArticleVersion,
    Audience,
    Kind,
)
from tenestetorget.knowledge.rendering import fees_on, to_plain
from tenestetorget.organisation import permissions

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser


def pick_version(versions: Iterable[ArticleVersion], language: str) -> ArticleVersion | None:
    """The version in `language`, else Nynorsk, else (an article saved without Nynorsk)
    any version at all."""
    by_language = {v.language: v for v in versions}
    return (
        by_language.get(language) or by_language.get("nn") or next(iter(by_language.values()), None)
    )


def version_in(article: Article, language: str) -> ArticleVersion | None:
    """The article's text in `language`, else Nynorsk."""
    return pick_version(article.versions.all(), language)


def public_articles() -> QuerySet[Article]:
    """What the public may see: published articles for the public audience."""
    return Article.objects.filter(published=True, audience=Audience.PUBLIC)


def is_public(article: Article) -> bool:
    """The same rule as public_articles, for an article already read."""
    return article.published and article.audience == Audience.PUBLIC


def attachment_for(
    pk: int, user: AbstractBaseUser | AnonymousUser | None
) -> ArticleAttachment | None:
    """The attachment, if `user` may see its article: anyone when the article is published
    for the public, members of staff otherwise (internal routines, drafts)."""
    attachment = (
        ArticleAttachment.objects.select_related("article", "stored_file").filter(pk=pk).first()
    )
    if attachment is None:
        return None
    if is_public(attachment.article):
        return attachment
    return attachment if permissions.is_staff_member(user) else None


def public_url(article: Article) -> str:
    prefix = "teneste" if article.kind == Kind.SERVICE else "artikkel"
    return f"/{prefix}/{article.slug}/"


def answer_text(article: Article, language: str, site_url: str = "") -> str:
    """A ready answer from an article, in the sender's language where it exists: the short
    answer, the text, and (for public articles) a link to read more. The officer edits it."""
    version = version_in(article, language)
    if version is None:
        return ""
    fees = fees_on()
    parts = [to_plain(version.summary, version.language, fees)]
    body = to_plain(version.body, version.language, fees)
    if body:
        parts.append(body)
    if article.audience == Audience.PUBLIC and site_url:
        more = {"en": "Read more", "nb": "Les mer"}.get(language, "Les meir")
        parts.append(f"{more}: {site_url.rstrip('/')}{public_url(article)}")
    return "\n\n".join(parts)


def queue_search_words() -> dict[str, str]:
    """Per queue code, the tags and synonyms of its published knowledge articles: the words
    people use for what the queue handles (one query)."""
    words: dict[str, set[str]] = {}
    for code, tags, synonyms in Article.objects.filter(
        published=True, queue__isnull=False
    ).values_list("queue__code", "tags", "synonyms"):
        words.setdefault(code, set()).update(str(w) for w in [*(tags or []), *(synonyms or [])])
    return {code: " ".join(sorted(found)) for code, found in words.items()}
