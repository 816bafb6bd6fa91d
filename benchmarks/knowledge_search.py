"""Knowledge search benchmark: search p95 with 10,000 articles, and suggestions for inquiries.

Run through `make bench-knowledge`, which runs this once on SQLite and once on PostgreSQL:

    .venv/bin/python benchmarks/knowledge_search.py --database-url sqlite:////tmp/kb.sqlite3
    .venv/bin/python benchmarks/knowledge_search.py --database-url postgres://postgres@127.0.0.1:5432/tt_bench_kb

The database is created afresh. The real content (tenestetorget/knowledge/content) is loaded,
then synthetic articles are added until there are --articles of them: each takes its words
from two real articles, so the vocabulary and text lengths stay realistic. Queries are the
citizens' questions in content/questions*.jsonl; suggestions use the labelled inquiries in
../shared/data (or the questions when that folder is missing).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def setup_django(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tenestetorget.settings")
    os.environ.setdefault("TENESTETORGET_VAR_DIR", str(ROOT / "var" / "bench-knowledge"))
    import django

    django.setup()


def fresh_database(database_url: str) -> None:
    if database_url.startswith("sqlite:///"):
        path = Path(database_url.removeprefix("sqlite:///"))
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return
    import psycopg

    base, _, name = database_url.rpartition("/")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


def load(articles: int, seed: int) -> dict[str, Any]:
    from django.core.management import call_command
    from django.db import transaction

    from tenestetorget.knowledge import search
    from tenestetorget.knowledge.models import Article, ArticleVersion, Audience, Kind
    from tenestetorget.knowledge.services import load_content
    from tenestetorget.organisation.services import load_organisation

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    load_organisation(ROOT / "tenestetorget" / "demo" / "data" / "queues.yaml")
    load_content()
    real = list(ArticleVersion.objects.filter(language="nn").select_related("article"))
    rng = random.Random(seed)
    to_make = max(0, articles - Article.objects.count())
    print(f"  real articles: {len(real)}; adding {to_make} synthetic ones", flush=True)
    batch = 500
    made = 0
    while made < to_make:
        size = min(batch, to_make - made)
        with transaction.atomic():
            new_articles = []
            for i in range(size):
                base = rng.choice(real).article
                new_articles.append(
                    Article(
                        slug=f"syn-{made + i:05d}",
                        kind=Kind.ARTICLE if rng.random() < 0.8 else Kind.SERVICE,
                        queue_id=base.queue_id,
                        owner_id=base.owner_id,
                        audience=Audience.PUBLIC if rng.random() < 0.9 else Audience.INTERNAL,
                        tags=base.tags,
                        synonyms=[],
                        review_date=base.review_date,
                    )
                )
            Article.objects.bulk_create(new_articles)
            created = Article.objects.filter(slug__in=[a.slug for a in new_articles])
            versions = []
            for article in created:
                a, b = rng.sample(real, 2)
                version = ArticleVersion(
                    article=article,
                    language="nn",
                    title=f"{a.title.split('?')[0]} – {b.title.lower()}",
                    summary=b.summary,
                    body=f"{a.body}\n\n{b.body}",
                )
                version.article = article
                search.prepare(version)
                versions.append(version)
            ArticleVersion.objects.bulk_create(versions)
            for version in ArticleVersion.objects.filter(article__in=created):
                search.index(version)
        made += size
        print(f"  {made}/{to_make}", flush=True)
    if articles > len(real):
        # Earlier texts may contain compounds of words that came later.
        search.reindex_all()
    from django.db import connection

    if connection.vendor == "postgresql":
        # As autovacuum would have done on a running system: fresh planner statistics, and
        # the dead rows of the reindex gone.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    return {
        "articles": Article.objects.count(),
        "versions": ArticleVersion.objects.count(),
        "load_seconds": round(time.perf_counter() - started, 1),
    }


def questions() -> list[tuple[str, str]]:
    out = []
    for path in sorted((ROOT / "tenestetorget" / "knowledge" / "content").glob("questions*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                data = json.loads(line)
                out.append((data["question"], data.get("language", "nn")))
    return out


def inquiry_texts() -> list[tuple[str, str]]:
    data_dir = ROOT.parent / "shared" / "data"
    texts = []
    for path in sorted(data_dir.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                texts.append((f"{row['subject']}\n{row['body']}", row.get("lang", "nn")))
    return texts or questions()


def measure(label: str, calls: list[tuple[str, str]], run: Any, rounds: int = 3) -> dict[str, Any]:
    for text, language in calls[:20]:  # warm the caches (vocabulary, stems)
        run(text, language)
    timings = []
    for _ in range(rounds):
        for text, language in calls:
            start = time.perf_counter()
            run(text, language)
            timings.append((time.perf_counter() - start) * 1000)
    return {
        "what": label,
        "calls": len(timings),
        "p50_ms": round(statistics.median(timings), 2),
        "p95_ms": round(percentile(timings, 0.95), 2),
        "max_ms": round(max(timings), 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--output", type=Path, default=ROOT / "var" / "bench-knowledge.json")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="measure the database of an earlier run again (loads it only if it is empty)",
    )
    args = parser.parse_args()

    if not args.reuse:
        fresh_database(args.database_url)
    setup_django(args.database_url)
    from django.db import connection

    from tenestetorget.knowledge import search
    from tenestetorget.knowledge.models import Article, ArticleVersion

    print(f"Knowledge search benchmark on {connection.vendor}", flush=True)
    try:
        existing_articles = Article.objects.count() if args.reuse else 0
    except Exception:  # no tables yet: an empty database
        existing_articles = 0
    if existing_articles >= args.articles:
        loaded = {
            "articles": existing_articles,
            "versions": ArticleVersion.objects.count(),
            "load_seconds": 0.0,
        }
    else:
        loaded = load(args.articles, args.seed)
    qs = questions()
    results = [
        measure(
            "search (public, 10 hits)",
            qs,
            lambda text, language: search.search(text, language=language, limit=10),
        ),
        measure(
            "suggestions for an inquiry (5 hits)",
            inquiry_texts()[:200],
            lambda text, language: search.suggest_for_text(text, language=language),
            rounds=1,
        ),
    ]
    report = {"database": connection.vendor, **loaded, "results": results}
    print(json.dumps(report, indent=2, ensure_ascii=False))
    existing = json.loads(args.output.read_text()) if args.output.exists() else {}
    existing[connection.vendor] = report
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(existing, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
