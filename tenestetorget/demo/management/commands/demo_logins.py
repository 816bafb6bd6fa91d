"""`tenestetorget demo-logins`: who you can log in as in the demo."""

from typing import Any

from django.core.management.base import BaseCommand

from tenestetorget.demo.services import demo_logins
from tenestetorget.organisation.models import Role


class Command(BaseCommand):
    help = "Print the demo logins (username, password, role, unit) as a table."

    def handle(self, *args: Any, **options: Any) -> None:
        logins = demo_logins()
        header = ("Username", "Password", "Role", "Unit", "Name")
        rows = [
            (
                login.username,
                login.password,
                login.role,
                login.unit,
                login.name + ("" if login.exists else "  (not loaded)"),
            )
            for login in logins
        ]
        widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]

        def line(values: tuple[str, ...]) -> str:
            return "  ".join(v.ljust(w) for v, w in zip(values, widths, strict=True)).rstrip()

        self.stdout.write(
            "Demo logins (all demo passwords are public: never use them in production)"
        )
        self.stdout.write(line(header))
        self.stdout.write(line(tuple("-" * w for w in widths)))
        for row in rows:
            self.stdout.write(line(row))
        archivists = [login.username for login in logins if login.role == Role.ARCHIVIST]
        if archivists:
            # The archive's pages (/arkiv/) show every unit's records to the archivist only.
            self.stdout.write(
                f"The archive (/arkiv/): log in as {', '.join(archivists)} (archivist) to see "
                "every unit's cases, the restanse and the closed period; a case officer sees "
                "their own unit's."
            )
