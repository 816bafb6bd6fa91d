#!/usr/bin/env python
"""Django's manage.py, kept for habit; `tenestetorget` is the same command."""

from tenestetorget.__main__ import main

if __name__ == "__main__":
    main()
