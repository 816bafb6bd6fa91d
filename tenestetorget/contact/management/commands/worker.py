"""`tenestetorget worker`: the background-task worker, with the outbox's sweep beside it.

django-tasks-db's own `db_worker` runs tasks, but nothing in it looks again at a task whose
worker died (it stays *running* for ever), and it has no periodic tasks. This command is that
worker (the same options, the same claiming of tasks) plus a sweep: at start and every
`--sweep-every` seconds it sends every outbox message whose time has come (retries, and
messages a dead worker was sending when its lease ran out) and hands abandoned task rows
back to be run again (contact.outbox.sweep). The sweep runs in a thread of its own, so a
long send does not hold up the tasks, nor the tasks the sweep.

Several workers may run side by side: a message is taken by one of them at a time. Give
extra workers `--sweep-every 0` if one sweeping worker is enough.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import threading
from argparse import ArgumentParser, ArgumentTypeError
from typing import Any

from django.core.management.base import CommandError
from django.db import close_old_connections, connections
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV, run_with_reloader
from django_tasks_db.management.commands import db_worker

from tenestetorget.contact import outbox
from tenestetorget.core import sweeps
from tenestetorget.routing import schedule as routing_schedule

log = logging.getLogger("tenestetorget.contact.outbox")


def seconds(value: str) -> float:
    number = float(value)
    if not number >= 0:
        raise ArgumentTypeError("Must be zero or more seconds")
    return number


class Sweeper:
    """The outbox's sweep, now and then every `every` seconds, in a daemon thread (it dies
    with the worker; whatever it was sending is sent again by the next sweep)."""

    def __init__(self, every: float) -> None:
        self.every = every
        self.stopped = threading.Event()
        self.thread: threading.Thread | None = None

    def sweep_once(self) -> None:
        try:
            report = outbox.sweep()
            if report:
                log.info("outbox sweep: %s", report)
        except Exception:  # a database hiccup must not end the sweeping for good
            log.exception("outbox sweep failed; trying again in %s s", self.every)
        try:
            # The routing model's retraining, when due: queued as a task, run by a worker.
            routing_schedule.enqueue_retraining_if_due()
        except Exception:
            log.exception("routing: asking for a retraining failed; trying again later")
        # What other apps registered (the mail room's messages left unprocessed).
        sweeps.run_all()

    def run(self) -> None:
        while True:
            self.sweep_once()
            # This thread's own connections: not held open between sweeps.
            connections.close_all()
            if self.stopped.wait(self.every):
                return

    def start(self) -> None:
        if self.every <= 0:
            return
        self.thread = threading.Thread(target=self.run, name="outbox-sweep", daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.stopped.set()


class Worker(db_worker.Worker):
    """django-tasks-db's worker with the sweeper started beside its loop."""

    def __init__(self, *, sweep_every: float, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.sweeper = Sweeper(sweep_every)

    def run(self) -> None:
        if self.batch:
            # Run what is there and stop: one sweep first, in this thread.
            self.sweeper.sweep_once()
        else:
            self.sweeper.start()
        try:
            super().run()
        finally:
            self.sweeper.stop()
            close_old_connections()


class Command(db_worker.Command):
    help = (
        "Run background tasks (sending e-mail, handover checks) and, every --sweep-every "
        "seconds, the outbox's sweep: send what is due again and recover what a dead worker "
        "left behind."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        super().add_arguments(parser)
        parser.add_argument(
            "--sweep-every",
            type=seconds,
            default=30.0,
            help="Seconds between sweeps of the outbox; 0 for none (default: %(default)s).",
        )
        parser.add_argument(
            "--lease",
            type=seconds,
            default=outbox.POLICY.lease.total_seconds(),
            help="Seconds this worker may spend sending one message before others presume it "
            "dead and send it again (default: %(default)s).",
        )
        parser.add_argument(
            "--stale-after",
            type=seconds,
            default=outbox.POLICY.stale_task_after.total_seconds(),
            help="Seconds after which a task still marked running counts as abandoned by a "
            "worker that died (default: %(default)s).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        self.configure_logging(options["verbosity"])
        if options["stale_after"] < options["lease"]:
            # A task is not abandoned while the message it sends may still be leased to it.
            raise CommandError("--stale-after must be at least --lease")
        outbox.configure(
            lease=dt.timedelta(seconds=options["lease"]),
            stale_task_after=dt.timedelta(seconds=options["stale_after"]),
        )
        reload = options["reload"]
        if reload and options["batch"]:
            log.warning("--reload and --batch cannot be specified together. Disabling autoreload.")
            reload = False
        queue_names = options["queue_name"].split(",")
        excluded = options["exclude_queues"].split(",") if options["exclude_queues"] else []
        if excluded and "*" not in queue_names:
            raise CommandError("--exclude-queues can only be used with --queue-name=*")
        worker = Worker(
            sweep_every=options["sweep_every"],
            queue_names=queue_names,
            interval=options["interval"],
            batch=options["batch"],
            backend_name=options["backend_name"],
            startup_delay=options["startup_delay"],
            max_tasks=options["max_tasks"],
            worker_id=options["worker_id"],
            excluded_queue_names=excluded,
        )
        if reload:
            if os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
                worker.configure_signals()
            run_with_reloader(worker.run)
        else:
            worker.configure_signals()
            worker.run()
