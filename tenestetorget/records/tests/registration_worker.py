"""A separate process that registers journal posts from several threads into one case, for
the concurrency test on a SQLite file database (WAL, IMMEDIATE transactions, as in
production); the in-memory test database cannot make threads wait for its write lock.

    DATABASE_URL=sqlite:////tmp/x.sqlite3 \
        python -m tenestetorget.records.tests.registration_worker THREADS PER_THREAD

It migrates the database, creates a case, registers, and prints the journalpostnummer and
journalsekvensnummer of every post as JSON; errors go to stderr as a JSON list.
"""

import json
import os
import sys
import threading


def main(argv: list[str]) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tenestetorget.settings")
    import django

    django.setup()

    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connections

    from tenestetorget.organisation.models import Role, StaffProfile, Unit
    from tenestetorget.records import services
    from tenestetorget.records.models import RegistryEntry

    call_command("migrate", verbosity=0)
    threads, per_thread = int(argv[0]), int(argv[1])
    unit = Unit.objects.create(code="arkiv", name="Arkiv")
    archivist = get_user_model().objects.create_user(username="arkivar")
    StaffProfile.objects.create(user=archivist, unit=unit, role=Role.ARCHIVIST)
    fonds = services.create_archive("Arkiv", [("1", "Kommunen")], archivist)
    series = services.create_series(fonds, "Sakarkiv", archivist)
    case = services.create_saksmappe(series, "Sak", unit, archivist, archivist)
    connections.close_all()

    errors: list[str] = []
    lock = threading.Lock()
    barrier = threading.Barrier(threads)

    def work() -> None:
        try:
            barrier.wait()
            for n in range(per_thread):
                services.register_journalpost(case, "X", f"Notat {n}", archivist)
        except Exception as exc:  # reported to the test, which fails on any
            with lock:
                errors.append(repr(exc))
        finally:
            connections.close_all()

    pool = [threading.Thread(target=work) for _ in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    rows = list(RegistryEntry.objects.values_list("journalpostnummer", "journalsekvensnummer"))
    print(json.dumps(rows))
    if errors:
        print(json.dumps(errors), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
