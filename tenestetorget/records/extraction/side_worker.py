"""The side writer's process (side_writer): this module imports no model before
`django.setup()`, so that a freshly spawned interpreter can load it."""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

_SNAPSHOT_ID = re.compile(r"^[0-9A-F]+-[0-9A-F]+(-[0-9A-F]+)?$")


def write_in_worker(
    settings_dict: dict[str, Any],
    snapshot: str,
    out_dir: Path,
    series_ids: list[int],
    show_progress: bool,
) -> dict[str, int | None]:
    """In the worker: the change log and the journal files, read in the export's snapshot."""
    import django

    django.setup()
    from django.db import connection, connections, transaction
    from django.utils.translation import gettext as _

    from tenestetorget.records import models as m
    from tenestetorget.records.extraction.side_writer import FILES
    from tenestetorget.records.extraction.writer import Progress

    # The database the export reads (under tests, the test database), not the settings'.
    connections["default"].settings_dict.update(
        {key: settings_dict[key] for key in ("NAME", "USER", "HOST", "PORT", "PASSWORD")}
    )
    if not _SNAPSHOT_ID.match(snapshot):
        raise ValueError(f"not a snapshot id: {snapshot!r}")
    counts: dict[str, int | None] = {}
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            # The id is checked above; SET takes no parameters.
            cursor.execute(f"SET TRANSACTION SNAPSHOT '{snapshot}'")
        series = list(m.Series.objects.filter(pk__in=series_ids).order_by("opprettet_dato", "pk"))
        for name, write in FILES:
            progress = (
                Progress(name, 0, _("postar"), sys.stderr, every=5.0) if show_progress else None
            )
            counts[name] = write(out_dir / name, series, progress)
            if progress is not None and counts[name] is not None:
                progress.finish()
    connection.close()
    return counts
