"""One search interface over two engines: PostgreSQL full-text search (`norwegian`
configuration) in production, SQLite FTS5 in the embedded default.

Both engines index the terms that search_text.py makes, so a query finds the same articles on
both; each engine returns candidates with its own relevance (ts_rank / bm25), and the final
order is decided here the same way for both: how many of the query's words the title, the
keywords and the text contain, with service pages first among equals.
"""

from __future__ import annotations

import difflib
import hashlib
import logging
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from django.core.cache import cache
from django.db import connection
from django.db.backends.utils import CursorWrapper
from django.db.models import Max

from tenestetorget.knowledge import search_text as st
from tenestetorget.knowledge.models import (
    Article,
    ArticleVersion,
    Audience,
    Kind,
    Word,
)
from tenestetorget.knowledge.rendering import FEE_RE, fees_for, to_plain
from tenestetorget.knowledge.selectors import public_url

log = logging.getLogger(__name__)

MAX_QUERY_CHARS = 300
MAX_QUERY_WORDS = 16
CANDIDATES = 40
LANGUAGE_FALLBACK = "nn"


# --- the vocabulary ---------------------------------------------------------------------------


def _known_words(candidates: Iterable[str]) -> set[str]:
    wanted = {c for c in candidates if len(c) >= st.MIN_PART}
    if not wanted:
        return set()
    return set(Word.objects.filter(word__in=wanted).values_list("word", flat=True))


def _remember_words(words: Iterable[str]) -> None:
    new = {w for w in words if len(w) >= st.MIN_PART and w not in st.STOP_WORDS and len(w) <= 60}
    if new:
        Word.objects.bulk_create([Word(word=w) for w in new], ignore_conflicts=True)


@lru_cache(maxsize=4)
def _vocabulary(marker: int) -> dict[str, tuple[str, ...]]:
    """All known words by first letter, for spelling suggestions; cached until a new word
    is added (the marker is the highest word id)."""
    del marker
    by_letter: dict[str, list[str]] = {}
    for word in Word.objects.order_by("word").values_list("word", flat=True):
        by_letter.setdefault(word[:1], []).append(word)
    return {letter: tuple(words) for letter, words in by_letter.items()}


def vocabulary() -> dict[str, tuple[str, ...]]:
    marker = Word.objects.aggregate(m=Max("id"))["m"] or 0
    return _vocabulary(marker)


# --- indexing ---------------------------------------------------------------------------------


def _field_texts(version: ArticleVersion) -> tuple[str, str, str]:
    article = version.article
    keywords = " ".join([*article.tags, *article.synonyms])
    body = "\n".join([version.summary, version.body, version.who, version.how, version.legal_basis])
    # A fee placeholder's code ("byggjesak_garasje") is no word of the text; what the reader
    # sees there is a price.
    return FEE_RE.sub(" pris ", version.title), keywords, FEE_RE.sub(" pris ", body)


def prepare(version: ArticleVersion) -> None:
    """Fill the version's search_* fields (unstemmed terms; PostgreSQL stems them with its
    norwegian configuration, SQLite gets them stemmed by index())."""
    title, keywords, body = _field_texts(version)
    all_words = st.words(f"{title} {keywords} {body}")
    _remember_words(all_words)
    candidates: set[str] = set()
    for word in all_words:
        candidates |= st.candidate_parts(word)
    known = _known_words(candidates)
    version.search_title = " ".join(st.document_terms(title, known.__contains__))
    version.search_keywords = " ".join(st.document_terms(keywords, known.__contains__))
    version.search_body = " ".join(st.document_terms(body, known.__contains__))
    version.stems_title = _unique_stems(version.search_title)
    version.stems_keywords = _unique_stems(version.search_keywords)
    version.stems_body = _unique_stems(version.search_body)


def _unique_stems(terms: str) -> str:
    return " ".join(sorted(set(st.stems(terms.split()))))


def index(version: ArticleVersion) -> None:
    """Bring the engine's index up to date for one saved version."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM knowledge_fts WHERE rowid = %s", [version.pk])
            cursor.execute(
                "INSERT INTO knowledge_fts (rowid, title, keywords, body) VALUES (%s, %s, %s, %s)",
                [
                    version.pk,
                    " ".join(st.stems(version.search_title.split())),
                    " ".join(st.stems(version.search_keywords.split())),
                    " ".join(st.stems(version.search_body.split())),
                ],
            )
    # PostgreSQL: search_vector is a generated column over the search_* fields.


def reindex_all() -> int:
    """Recompute every version's terms (after the vocabulary grew) and rebuild the index."""
    count = 0
    for version in ArticleVersion.objects.select_related("article").iterator():
        prepare(version)
        ArticleVersion.objects.filter(pk=version.pk).update(
            search_title=version.search_title,
            search_keywords=version.search_keywords,
            search_body=version.search_body,
            stems_title=version.stems_title,
            stems_keywords=version.stems_keywords,
            stems_body=version.stems_body,
        )
        index(version)
        count += 1
    return count


# --- querying ---------------------------------------------------------------------------------


@dataclass
class Concept:
    """One word of the query and the terms that count as a match for it."""

    word: str
    terms: frozenset[str]
    stems: frozenset[str]


def parse_query(query: str, max_words: int = MAX_QUERY_WORDS) -> list[Concept]:
    """The query's meaningful words, each with its compound parts and, for a word nobody
    has written, the closest known spelling."""
    query = (query or "")[:MAX_QUERY_CHARS]
    raw = [w for w in st.words(query) if w not in st.STOP_WORDS and len(w) >= 2]
    raw = list(dict.fromkeys(raw))[:max_words]
    if not raw:
        return []
    candidates: set[str] = set(raw)
    for word in raw:
        candidates |= st.candidate_parts(word)
    known = _known_words(candidates)
    concepts = []
    vocab: dict[str, tuple[str, ...]] | None = None
    for word in raw:
        terms = {word}
        parts = st.split_compound(word, known.__contains__)
        terms.update(parts)
        if word not in known and not parts and len(word) >= 4 and not word.isdigit():
            vocab = vocab if vocab is not None else vocabulary()
            same_start = [w for w in vocab.get(word[:1], ()) if abs(len(w) - len(word)) <= 3]
            close = difflib.get_close_matches(word, same_start, n=2, cutoff=0.8)
            terms.update(close)
        concepts.append(
            Concept(word=word, terms=frozenset(terms), stems=frozenset(st.stems(terms)))
        )
        # A compound's parts also count as concepts of their own: "byggjesøknadsgebyr"
        # should rank a text about both "byggjesøknad" and "gebyr" first.
        for part in parts:
            concepts.append(
                Concept(word=part, terms=frozenset([part]), stems=frozenset([st.stem(part)]))
            )
    return concepts


def _audiences(include_internal: bool) -> list[str]:
    return [Audience.PUBLIC, Audience.INTERNAL] if include_internal else [Audience.PUBLIC]


#: Terms in more than this share of the texts are left out of the engine's query (they match
#: nearly everything and make it slow); ranking still counts them.
COMMON_SHARE = 0.2
KEEP_RAREST = 3
#: Below this many texts every query is cheap, and every word helps find the few candidates.
PRUNE_FROM = 2000


def _discriminating_sqlite(terms: Sequence[str]) -> list[str]:
    placeholders = ", ".join(["%s"] * len(terms))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT term, doc FROM knowledge_fts_vocab WHERE term IN ({placeholders})",  # noqa: S608
            list(terms),
        )
        docs = dict(cursor.fetchall())
        cursor.execute("SELECT count(*) FROM knowledge_articleversion")
        total = cursor.fetchone()[0] or 1
    if total < PRUNE_FROM:
        return list(terms)
    present = sorted((docs[t], t) for t in terms if t in docs)
    kept = [t for n, t in present if n <= COMMON_SHARE * total]
    return kept or [t for _n, t in present[:KEEP_RAREST]]


def _candidates_sqlite(terms: Sequence[str], audiences: list[str]) -> list[tuple[int, float]]:
    if len(terms) > KEEP_RAREST:
        terms = _discriminating_sqlite(terms)
    if not terms:
        return []
    match = " OR ".join(f'"{t}"' for t in terms)
    placeholders = ", ".join(["%s"] * len(audiences))
    # FTS5 finds the best matches first (its `rank` is bm25 with the column weights set in
    # the migration, and ORDER BY rank LIMIT is its fast path); the join then drops
    # unpublished and, for the public, internal articles.
    sql = f"""
        SELECT v.id, m.rank
        FROM (
            SELECT rowid, rank FROM knowledge_fts WHERE knowledge_fts MATCH %s
            ORDER BY rank LIMIT {CANDIDATES * 2}
        ) m
        JOIN knowledge_articleversion v ON v.id = m.rowid
        JOIN knowledge_article a ON a.id = v.article_id
        WHERE a.published AND a.audience IN ({placeholders})
        ORDER BY m.rank
    """  # noqa: S608 - only placeholders and a constant are formatted in
    with connection.cursor() as cursor:
        cursor.execute(sql, [match, *audiences])
        # bm25 is lower for better matches; turn it into "higher is better".
        return [(row[0], -float(row[1])) for row in cursor.fetchall()]


DF_TTL = 600
TOTAL_TTL = 60
#: The first step on PostgreSQL keeps at most this many texts, by the words they contain;
#: only these are ranked on their full text.
SHORTLIST = 200


def _digest(term: str) -> str:
    return hashlib.blake2b(term.encode(), digest_size=12).hexdigest()


def _document_counts_postgresql(
    cursor: CursorWrapper, terms: Sequence[str]
) -> tuple[int, dict[str, tuple[str, int]]]:
    """How many texts there are, and for each word its lexeme (as PostgreSQL stems it) and
    how many texts contain it.

    PostgreSQL keeps no per-word statistics for a tsvector column, so each word is counted
    through the GIN index once (one statement for all new words) and remembered for DF_TTL
    seconds: one new article hardly changes how common a word is. Stop words of the
    norwegian configuration have no lexeme and are left out."""
    total = cache.get("knowledge:df:total")
    if total is None:
        cursor.execute("SELECT count(*) FROM knowledge_articleversion")
        total = int(cursor.fetchone()[0])
        cache.set("knowledge:df:total", total, TOTAL_TTL)
    # Hashed: a query word may be long or contain anything a cache key must not.
    keys = {term: f"knowledge:df:{total // 100}:{_digest(term)}" for term in terms}
    found = cache.get_many(list(keys.values()))
    counts = {term: found[key] for term, key in keys.items() if key in found}
    missing = [term for term in terms if term not in counts]
    if missing:
        cursor.execute(
            # Per word, q is a parameter of the count: the planner reads the index's list of
            # matches (see _candidates_postgresql) rather than testing every text.
            "SELECT t, q::text, (SELECT count(*) FROM knowledge_articleversion "
            "WHERE search_vector @@ q) "
            "FROM unnest(%s::text[]) AS t, plainto_tsquery('norwegian', t) AS q",
            [missing],
        )
        fresh = {str(t): (str(lexeme), int(n)) for t, lexeme, n in cursor.fetchall()}
        cache.set_many({keys[term]: value for term, value in fresh.items()}, DF_TTL)
        counts.update(fresh)
    return max(total, 1), {t: v for t, v in counts.items() if v[0]}


def _candidates_postgresql(terms: Sequence[str], audiences: list[str]) -> list[tuple[int, float]]:
    """The best texts for the words, in two steps, so that the cost is bounded whatever the
    number of texts.

    1. A shortlist from the GIN indexes alone: each text scores, for each word it contains,
       the word's rarity (idf), three times over when the word is in its title or keywords
       (the small head_vector index), as the final ranking counts it. Once there are
       PRUNE_FROM texts, words in more than COMMON_SHARE of them are looked up in titles and
       keywords only: in the full texts they would add thousands of rows and decide nothing.
    2. Only the shortlist is ranked with ts_rank on the full text, with every word.

    Ranking every text that contained any word, as before, read several kilobytes per text
    and took 60 ms at 10,000 articles; the shortlist keeps it to a few hundred reads."""
    with connection.cursor() as cursor:
        total, counts = _document_counts_postgresql(cursor, terms)
        by_lexeme = {lexeme: documents for lexeme, documents in counts.values() if documents}
        present = sorted((documents, lexeme) for lexeme, documents in by_lexeme.items())
        if not present:
            return []
        # Which words look where: every word in the small title-and-keywords index; in the
        # full texts only the rarer ones. When every word is common (above COMMON_SHARE),
        # the KEEP_RAREST rarest are looked up in titles and keywords, and the rarest alone
        # in the texts.
        in_head = present
        in_text = present
        if total >= PRUNE_FROM:
            kept = [(n, lexeme) for n, lexeme in present if n <= COMMON_SHARE * total]
            in_head = kept or present[:KEEP_RAREST]
            in_text = kept or present[:1]
        hits: list[str] = []
        params: list[float | str] = []
        # `(SELECT …)`: the word reaches the planner as a parameter, not a constant. With the
        # constant, the planner knows a common word matches thousands of texts and tests
        # every text in turn (reading each vector, kilobytes stored out of line: 30 ms at
        # 10,000 texts) rather than reading the index's list of matches (1 ms).
        for documents, lexeme in in_head:
            hits.append(
                "SELECT id, %s::float8 AS w FROM knowledge_articleversion "
                "WHERE head_vector @@ (SELECT %s::tsquery)"
            )
            params += [2 * math.log(1 + total / documents), lexeme]
        for documents, lexeme in in_text:
            hits.append(
                "SELECT id, %s::float8 FROM knowledge_articleversion "
                "WHERE search_vector @@ (SELECT %s::tsquery)"
            )
            params += [math.log(1 + total / documents), lexeme]
        # Every word counts in the ranking, the common ones too.
        tsquery = " | ".join(sorted(by_lexeme))
        placeholders = ", ".join(["%s"] * len(audiences))
        union = " UNION ALL ".join(hits)
        sql = f"""
            WITH hits AS ({union}),
            shortlist AS (
                SELECT id, sum(w) AS weight FROM hits
                GROUP BY id ORDER BY weight DESC, id LIMIT {SHORTLIST}
            )
            SELECT v.id, ts_rank('{{0.1, 0.3, 0.6, 1.0}}', v.search_vector, %s::tsquery) AS score
            FROM shortlist s
            JOIN knowledge_articleversion v ON v.id = s.id
            JOIN knowledge_article a ON a.id = v.article_id
            WHERE a.published AND a.audience IN ({placeholders})
            ORDER BY score DESC, s.weight DESC LIMIT {CANDIDATES}
        """  # noqa: S608 - only placeholders and constants are formatted in
        cursor.execute(sql, [*params, tsquery, *audiences])
        return [(row[0], float(row[1])) for row in cursor.fetchall()]


@dataclass
class SearchHit:
    article: Article
    version: ArticleVersion
    score: float
    text: str = ""

    @property
    def title(self) -> str:
        return self.version.title

    @property
    def url(self) -> str:
        return public_url(self.article)


def _coverage(concepts: list[Concept], title: str, keywords: str, body: str) -> float:
    """How well a text covers the query: 3 points for a word in the title, 2 in the keywords,
    1 in the text, as a share of the best possible."""
    title_set, keyword_set, body_set = set(title.split()), set(keywords.split()), set(body.split())
    total = 0.0
    for concept in concepts:
        if concept.stems & title_set:
            total += 3.0
        elif concept.stems & keyword_set:
            total += 2.0
        elif concept.stems & body_set:
            total += 1.0
    return total / (3.0 * len(concepts))


def search(
    query: str,
    *,
    language: str = "nn",
    include_internal: bool = False,
    limit: int = 10,
    with_text: bool = True,
    max_words: int = MAX_QUERY_WORDS,
) -> list[SearchHit]:
    """Ranked articles for a query, each shown in `language` where it has a version and in
    Nynorsk otherwise. Empty, stop-word-only or symbol-only queries give no hits."""
    concepts = parse_query(query, max_words)
    if not concepts:
        return []
    audiences = _audiences(include_internal)
    if connection.vendor == "postgresql":
        rows = _candidates_postgresql(sorted({t for c in concepts for t in c.terms}), audiences)
    else:
        rows = _candidates_sqlite(sorted({s for c in concepts for s in c.stems if s}), audiences)
    if not rows:
        return []
    # The engine's best candidates are re-ranked here; further down its list nothing would
    # climb into the first page.
    rows = sorted(rows, key=lambda row: -row[1])[:CANDIDATES]
    engine_score = dict(rows)
    best = max(engine_score.values()) or 1.0
    candidates = ArticleVersion.objects.filter(pk__in=engine_score).values_list(
        "pk", "article_id", "article__kind", "article__slug",
        "stems_title", "stems_keywords", "stems_body",
    )  # fmt: skip
    # Best-scoring version per article, whatever its language: an nb query may match the nb
    # text, an English one the synonyms.
    per_article: dict[int, tuple[float, str]] = {}
    for pk, article_id, kind, slug, title, keywords, body in candidates:
        score = _coverage(concepts, title, keywords, body) + 0.25 * (engine_score[pk] / best)
        if kind == Kind.SERVICE:
            score += 0.1
        current = per_article.get(article_id)
        if current is None or score > current[0]:
            per_article[article_id] = (score, slug)
    ranked = sorted(per_article.items(), key=lambda item: (-item[1][0], item[1][1]))[:limit]
    shown = _versions_to_show([article_id for article_id, _ in ranked], language)
    fees = fees_for([v.summary for v in shown.values()]) if with_text else {}
    hits = []
    for article_id, (score, _slug) in ranked:
        display = shown.get(article_id)
        if display is None:  # an article with no nn version and none in `language`
            display = (
                ArticleVersion.objects.select_related("article")
                .filter(article_id=article_id)
                .first()
            )
            if display is None:
                continue
        hit = SearchHit(article=display.article, version=display, score=round(score, 4))
        if with_text:
            hit.text = to_plain(display.summary, display.language, fees)
        hits.append(hit)
    return hits


def _versions_to_show(article_ids: list[int], language: str) -> dict[int, ArticleVersion]:
    """The version in `language`, else Nynorsk, for each article (one query)."""
    chosen: dict[int, ArticleVersion] = {}
    rows = (
        ArticleVersion.objects.filter(
            article_id__in=article_ids, language__in={language, LANGUAGE_FALLBACK}
        )
        .select_related("article")
        .only(
            "article_id", "language", "title", "summary",
            "article__slug", "article__kind", "article__audience", "article__queue_id",
        )
    )  # fmt: skip
    for version in rows:
        if version.language == language or version.article_id not in chosen:
            chosen[version.article_id] = version
    return chosen


def suggest_for_text(text: str, *, language: str = "nn", limit: int = 5) -> list[SearchHit]:
    """Articles most relevant to an inquiry's subject and text, internal ones included (for
    staff). Long texts are cut to their first words: the subject and opening say the most,
    and every extra word makes the query slower and its ranking vaguer."""
    return search(text[:400], language=language, include_internal=True, limit=limit, max_words=10)
