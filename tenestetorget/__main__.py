"""The `tenestetorget` console command: Django's management commands under one entry point.

Operators run `tenestetorget load-organisation FILE`, `tenestetorget api-token USER`,
`tenestetorget migrate` and so on, without knowing that Django is underneath.
"""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tenestetorget.settings")
    from django.core.management import execute_from_command_line

    argv = list(sys.argv)
    argv[0] = "tenestetorget"
    # Operators type hyphens (load-organisation); Django's command modules use underscores.
    if len(argv) > 1 and not argv[1].startswith("-"):
        argv[1] = argv[1].replace("-", "_")
    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
