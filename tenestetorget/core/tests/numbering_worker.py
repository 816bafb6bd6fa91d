"""A separate process that takes reference numbers from several threads, for the numbering
concurrency test. It uses the database in DATABASE_URL with the project's own settings (for
SQLite: a file in WAL mode with IMMEDIATE transactions, as in production).

    python -m tenestetorget.core.tests.numbering_worker migrate
    python -m tenestetorget.core.tests.numbering_worker take SERIES YEAR THREADS PER_THREAD \
        HOLD_MS SIGNAL_DIR

`take` sets Django up, writes SIGNAL_DIR/ready-<pid> and waits for SIGNAL_DIR/go, so that
several processes start taking numbers together. It prints the numbers it got as one JSON
list, and any errors as a JSON list on stderr.
"""

import json
import os
import sys
import threading
import time
from pathlib import Path


def main(argv: list[str]) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tenestetorget.settings")
    import django

    django.setup()

    from django.core.management import call_command
    from django.db import connections, transaction

    from tenestetorget.core.numbering import next_number

    if argv[0] == "migrate":
        # Only the numbering table's app: other apps' migrations are not needed here.
        call_command("migrate", "core", verbosity=0)
        return 0

    series, year = argv[1], int(argv[2])
    threads, per_thread = int(argv[3]), int(argv[4])
    hold, signal_dir = int(argv[5]) / 1000, Path(argv[6])
    numbers: list[int] = []
    errors: list[str] = []
    lock = threading.Lock()
    barrier = threading.Barrier(threads)

    def work() -> None:
        try:
            barrier.wait()
            for _ in range(per_thread):
                with transaction.atomic():
                    number = next_number(series, year)
                    # Stand-in for writing the numbered object in the same transaction.
                    time.sleep(hold)
                with lock:
                    numbers.append(number)
        except Exception as exc:  # reported to the test, which fails on any
            with lock:
                errors.append(repr(exc))
        finally:
            connections.close_all()

    (signal_dir / f"ready-{os.getpid()}").touch()
    deadline = time.monotonic() + 120
    while not (signal_dir / "go").exists():
        if time.monotonic() > deadline:
            print("[]")
            print(json.dumps(["no go signal within 120 s"]), file=sys.stderr)
            return 1
        time.sleep(0.01)
    pool = [threading.Thread(target=work) for _ in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    print(json.dumps(numbers))
    if errors:
        print(json.dumps(errors), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
