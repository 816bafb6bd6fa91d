"""Mail-room intake benchmark: 10,000 `.eml` files with attachments, imported end to end on
SQLite (issue 10's figure: at least 100 messages per second).

Run through `make bench-intake`:

    .venv/bin/python benchmarks/mailroom_intake.py [--messages 10000] [--database-url URL]

A fresh database gets the demo's units and queues and a routing model trained on the shipped
data (as `make demo` does). The messages are written to a folder first (not timed): texts of
the training split's inquiries as plain or HTML mail in UTF-8, ISO-8859-1 or Windows-1252,
each with one attachment (a PDF, a DOCX or a PNG), every 20th with a forbidden one as well,
every 50th an out-of-office reply and every 100th a second copy of an earlier message. Then
`tenestetorget mailroom import FOLDER` runs as an operator runs it, in its own process, and
its wall time is the figure: read, stored first, parsed, routed, flagged, registered with
reference, promise and acknowledgement, attachments into the document store, one commit per
message. The JSON summary it prints is checked against what was written.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
VAR = ROOT / "var" / "bench-intake"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def setup_django(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tenestetorget.settings")
    os.environ["TENESTETORGET_VAR_DIR"] = str(VAR)
    os.environ["MEDIA_ROOT"] = str(VAR / "media")
    os.environ["ROUTING_MODEL_DIR"] = str(VAR / "routing")
    os.environ["ROUTING_RETRAIN_HOURS"] = "0"
    import django

    django.setup()


def prepare(database_url: str) -> None:
    from django.core.management import call_command

    from tenestetorget.organisation.services import load_organisation
    from tenestetorget.routing import models_store

    if database_url.startswith("sqlite:///"):
        path = Path(database_url.removeprefix("sqlite:///"))
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    call_command("migrate", verbosity=0)
    load_organisation(ROOT / "tenestetorget" / "demo" / "data" / "queues.yaml")
    models_store.train_and_install(history=False)


def write_messages(folder: Path, count: int, seed: int) -> dict[str, int]:
    from tenestetorget.mailroom.tests import mailsamples as samples
    from tenestetorget.routing import dataset

    training, _held_out = dataset.split(dataset.shipped())
    rng = random.Random(seed)
    attachments = [
        ("kart.pdf", "application/pdf", samples.pdf()),
        ("soknad.docx", DOCX, samples.docx()),
        ("bilete.png", "image/png", samples.png()),
    ]
    expected = {"read": 0, "registered": 0, "duplicates": 0, "quarantined": 0, "ignored": 0}
    written: list[bytes] = []
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(count):
        if n and n % 100 == 0:
            raw = written[rng.randrange(len(written))]
            expected["duplicates"] += 1
        elif n % 50 == 0:
            raw = samples.plain(
                subject="Fråverande: Søknad om løyve",
                body="Eg er på ferie til 20. mars og les ikkje e-post.",
                message_id=f"<ooo-{n}@bench.example>",
                extra=[("Auto-Submitted", "auto-replied"), ("X-Autoreply", "yes")],
            )
            expected["ignored"] += 1
        else:
            example = training[rng.randrange(len(training))]
            charset = rng.choice(["utf-8", "utf-8", "iso-8859-1", "windows-1252"])
            files = [attachments[n % 3]]
            if n % 20 == 0:
                files.append(("oppdatering.exe", "application/octet-stream", b"MZ" + b"\0" * 500))
            subject = example.subject or "Spørsmål"
            body = example.body or subject
            try:
                (subject + body).encode(charset)
            except UnicodeEncodeError:
                charset = "utf-8"
            raw = samples.plain(
                subject=subject,
                body=body,
                sender=(f"Innbyggjar {n}", f"innbyggjar{n}@bench.example"),
                message_id=f"<bench-{n}@bench.example>",
                charset=charset,
                attachments=files,
            )
            expected["registered"] += 1
        written.append(raw)
        expected["read"] += 1
        (folder / f"{n:06d}.eml").write_bytes(raw)
    return expected


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--messages", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=10)
    parser.add_argument(
        "--database-url", default=f"sqlite:///{VAR / 'intake.sqlite3'}", help="SQLite by default"
    )
    args = parser.parse_args()
    VAR.mkdir(parents=True, exist_ok=True)
    setup_django(args.database_url)
    print(f"Preparing {args.database_url} (demo queues, routing model) ...", flush=True)
    prepare(args.database_url)
    folder = VAR / "eml"
    if folder.exists():
        for old in folder.glob("*.eml"):
            old.unlink()
    print(f"Writing {args.messages} .eml files ...", flush=True)
    expected = write_messages(folder, args.messages, args.seed)
    size = sum(p.stat().st_size for p in folder.glob("*.eml"))
    print(f"  {size / 1e6:.1f} MB; importing ...", flush=True)
    env = {**os.environ}
    started = time.perf_counter()
    done = subprocess.run(
        [str(ROOT / ".venv" / "bin" / "tenestetorget"), "mailroom", "import", str(folder)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    seconds = time.perf_counter() - started
    summary = json.loads(done.stdout.strip().splitlines()[-1])
    from tenestetorget.contact.models import Inquiry
    from tenestetorget.mailroom.models import IncomingMessage

    routed = Inquiry.objects.filter(queue__isnull=False).count()
    inquiries = Inquiry.objects.count()
    result = {
        "messages": args.messages,
        "database": args.database_url.split(":", 1)[0],
        "seconds": round(seconds, 1),
        "messages_per_second": round(args.messages / seconds, 1),
        "summary": summary,
        "expected": expected,
        "summary_as_expected": {k: summary.get(k) for k in expected} == expected,
        "stored": IncomingMessage.objects.count(),
        "inquiries": inquiries,
        "auto_routed_share": round(routed / inquiries, 3) if inquiries else None,
        "mb": round(size / 1e6, 1),
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
