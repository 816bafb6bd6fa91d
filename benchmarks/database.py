"""The benchmark's own PostgreSQL database: created, dropped and described here."""

from __future__ import annotations

import os
from collections.abc import Callable
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg import sql

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/tt_bench"


def database_name(url: str) -> str:
    name = urlsplit(url).path.lstrip("/")
    if not name:
        raise SystemExit(f"No database name in {redact(url)}")
    return name


def redact(url: str) -> str:
    """The URL without a password, for printing and for the results file."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
    return urlunsplit(parts._replace(netloc=netloc))


def _maintenance_url(url: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path="/postgres"))


def exists(url: str) -> bool:
    with psycopg.connect(_maintenance_url(url), autocommit=True) as conn:
        row = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", (database_name(url),)
        ).fetchone()
    return row is not None


def recreate(url: str) -> None:
    """Drop and create the database. Only a database whose name says it is a benchmark's
    may be dropped, so a mistyped BENCH_DATABASE_URL cannot wipe real data."""
    name = database_name(url)
    if "bench" not in name:
        raise SystemExit(
            f"Refusing to drop {name!r}: the benchmark only drops databases with 'bench' in "
            "their name. Use another name or --reuse."
        )
    with psycopg.connect(_maintenance_url(url), autocommit=True) as conn:
        drop = sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)")
        conn.execute(drop.format(sql.Identifier(name)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def server_version(url: str) -> str:
    with psycopg.connect(url, autocommit=True) as conn:
        row = conn.execute("SHOW server_version").fetchone()
    return str(row[0]) if row else "?"


def server_settings(url: str) -> dict[str, str]:
    """The PostgreSQL settings that matter most for these figures, to print with them."""
    names = ("shared_buffers", "work_mem", "effective_cache_size", "synchronous_commit", "jit")
    with psycopg.connect(url, autocommit=True) as conn:
        return {
            name: str(row[0])
            for name in names
            if (row := conn.execute(sql.SQL("SHOW {}").format(sql.Identifier(name))).fetchone())
        }


def prepare_django(url: str, reuse: bool, progress: Callable[[str], None]) -> bool:
    """Point Django at the bench database `url`, creating it unless `reuse` finds it, and
    migrate it; True when it was made fresh (and so must be loaded)."""
    fresh = not (reuse and exists(url))
    if fresh:
        progress(f"creating database {redact(url)}")
        recreate(url)
    os.environ["DATABASE_URL"] = url
    os.environ["DEBUG"] = "0"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tenestetorget.settings")
    import django

    django.setup()
    from django.core.management import call_command

    progress("migrating")
    call_command("migrate", interactive=False, verbosity=0)
    return fresh
