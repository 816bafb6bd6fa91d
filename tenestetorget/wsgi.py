"""WSGI entry point for production servers (gunicorn tenestetorget.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tenestetorget.settings")
application = get_wsgi_application()
