"""`tenestetorget load-demo`: the demo municipality, once."""

import time
from argparse import ArgumentParser
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from tenestetorget.booking.models import Resource
from tenestetorget.contact.models import Inquiry
from tenestetorget.demo import archive, history
from tenestetorget.demo import booking as demo_booking
from tenestetorget.demo import mail as demo_mail
from tenestetorget.demo.services import demo_is_loaded, load_demo_organisation
from tenestetorget.knowledge import search as knowledge_search
from tenestetorget.knowledge import services as knowledge_services
from tenestetorget.knowledge.models import Article
from tenestetorget.mailroom.models import IncomingMessage
from tenestetorget.routing import models_store

#: How much of the generated history the demo's routing model learns from (train_routing).
DEMO_HISTORY_PER_QUEUE = 40


class Command(BaseCommand):
    help = (
        "Load the demo municipality: units, queues, guarantees, staff and two years of "
        "inquiries. Does nothing when the demo is already loaded (any inquiry exists)."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--force",
            action="store_true",
            help="Load even if inquiries exist: reload the organisation (idempotent) and add "
            "another history on top; references continue the number series.",
        )
        parser.add_argument(
            "--count", type=int, default=history.DEFAULT_COUNT,
            help=f"Number of inquiries (default {history.DEFAULT_COUNT}).",
        )  # fmt: skip
        parser.add_argument(
            "--days", type=int, default=history.DEFAULT_DAYS,
            help=f"Days of history before now (default {history.DEFAULT_DAYS}).",
        )  # fmt: skip
        parser.add_argument(
            "--seed", type=int, default=history.DEFAULT_SEED,
            help="Random seed; the same seed gives the same data (relative to now).",
        )  # fmt: skip
        parser.add_argument(
            "--no-history", action="store_true", help="Load only the organisation and staff."
        )
        parser.add_argument(
            "--archive-cases", type=int, default=None,
            help=f"Cases in the demo archive (default {archive.DEFAULT_CASES}, scaled with "
            f"--count against its default {history.DEFAULT_COUNT}; 0 for none).",
        )  # fmt: skip

    def load_knowledge(self) -> None:
        self.stdout.write("Loading the knowledge base (articles, service pages, fees) ...")
        try:
            report = knowledge_services.load_content()
        except ValidationError as exc:
            raise CommandError(f"The knowledge base did not load: {exc}") from exc
        indexed = knowledge_search.reindex_all()
        self.stdout.write(
            f"  {report.articles_created} articles new, {report.articles_updated} updated, "
            f"{report.fees} fee prices, {indexed} texts indexed"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if demo_is_loaded() and not options["force"]:
            if not Article.objects.exists():
                # A demo database from before the knowledge base: add it, keep the rest.
                self.load_knowledge()
            if models_store.current_name() is None:
                # A demo database from before routing: train its model, keep the rest.
                self.train_routing()
            if not IncomingMessage.objects.exists():
                # A demo database from before the mail room: its sample day, keep the rest.
                self.load_mail()
            if not Resource.objects.exists():
                # A demo database from before booking: its cabins and rooms, keep the rest.
                self.load_booking()
            self.stdout.write(
                f"The demo is already loaded ({Inquiry.objects.count()} inquiries): nothing "
                "to do. Delete var/tenestetorget.sqlite3 (and migrate) to load it afresh, or "
                "use --force."
            )
            return
        if options["count"] < 1 or options["days"] < 1:
            raise CommandError("--count and --days must be positive")
        self.stdout.write("Loading the organisation (units, queues, guarantees, staff) ...")
        try:
            queues, organisation = load_demo_organisation()
        except (ValidationError, KeyError, ValueError) as exc:
            raise CommandError(f"The demo organisation did not load: {exc}") from exc
        self.stdout.write(
            f"  units {queues.units_created} new/{queues.units_updated} updated, "
            f"queues {queues.queues_created} new/{queues.queues_updated} updated, "
            f"guarantees {organisation.guarantees}, "
            f"staff {organisation.staff_created} new/{organisation.staff_updated} updated"
        )
        self.load_knowledge()
        if options["no_history"]:
            self.train_routing()
            self.load_mail()
            self.load_booking()
            return
        self.stdout.write(
            f"Generating {options['count']} inquiries over {options['days']} days "
            f"(seed {options['seed']}) ..."
        )
        report = history.generate_history(
            count=options["count"],
            days=options["days"],
            seed=options["seed"],
            progress=self.stdout.write,
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo loaded in {report.seconds:.1f} s: {report.inquiries} inquiries, "
                f"{report.senders} senders, {report.events} timeline events, "
                f"{report.handovers} handovers, {report.messages} messages."
            )
        )
        self.stdout.write(
            "  status:  " + ", ".join(f"{k} {v}" for k, v in sorted(report.by_status.items()))
        )
        self.stdout.write(
            "  channel: " + ", ".join(f"{k} {v}" for k, v in sorted(report.by_channel.items()))
        )
        self.stdout.write(
            f"  resolved at the first line: {report.first_contact_share:.0%}; "
            f"guarantees kept: {report.kept_share:.0%} of {report.outcomes} settled rounds; "
            f"open and overdue: {report.overdue_open}; "
            f"handovers waiting too long: {report.unacknowledged_handovers}"
        )
        self.load_archive(options)
        self.train_routing()
        self.load_mail()
        self.load_booking()

    def load_booking(self) -> None:
        """The cabins, rooms and trial housing, the resident register, some bookings."""
        self.stdout.write("Loading the bookable resources (utleige) ...")
        report = demo_booking.load_booking_demo()
        self.stdout.write(
            f"  {report.resources} resources, {report.residents} residents in the register, "
            f"{report.bookings} bookings"
        )

    def load_mail(self) -> None:
        """A day of sample mail through the mail room, once the routing model is there."""
        self.stdout.write("Importing a day of sample mail into the mail room ...")
        summary = demo_mail.import_sample_day()
        self.stdout.write("  " + ", ".join(f"{k} {v}" for k, v in summary.items()))

    def train_routing(self) -> None:
        """The routing model, from the shipped examples, the queues' scopes, the knowledge
        base and the demo's history (`tenestetorget routing train` does the same). The
        held-out split stays out, so that `routing evaluate` on it gives true figures."""
        self.stdout.write("Training the routing model ...")
        started = time.monotonic()
        # The demo's generated history is uniform (a few templates per queue): all of it
        # would outweigh the written examples twenty to one, and the threshold chosen on it
        # would say «sure» of almost anything. The latest 40 per queue are kept.
        model = models_store.train_and_install(history_per_queue=DEMO_HISTORY_PER_QUEUE)
        self.stdout.write(
            self.style.SUCCESS(
                f"Routing model {model.meta['file']} trained in {time.monotonic() - started:.1f} "
                f"s on {model.meta['training_examples']} examples; auto-route threshold "
                f"{model.threshold:.2f}."
            )
        )

    def load_archive(self, options: dict[str, Any]) -> None:
        cases = options["archive_cases"]
        if cases is None:
            # A smaller history gets a smaller archive (the tests load a few hundred).
            cases = max(30, round(archive.DEFAULT_CASES * options["count"] / history.DEFAULT_COUNT))
            cases = min(cases, archive.DEFAULT_CASES)
        if cases <= 0:
            return
        self.stdout.write(f"Loading the demo archive ({cases} cases over two years) ...")
        try:
            report = archive.load_archive(cases=cases, progress=self.stdout.write)
        except (RuntimeError, ValidationError) as exc:
            raise CommandError(f"The demo archive did not load: {exc}") from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Archive loaded in {report.seconds:.1f} s: {report.cases} cases "
                f"({report.from_inquiries} filed from inquiries, {report.closed_cases} closed), "
                f"{report.posts} journal posts ({report.screened_posts} screened), "
                f"restanse {report.restanse}, {report.files} files, {report.conversions} PDF/A "
                f"made now and {report.conversions_queued} left to the task worker."
            )
        )
