"""The environment of a test run, set before pytest-django reads the settings.

pyproject.toml loads this module as a plugin (`-p tests.environment`) because pytest-django
imports the settings before any conftest.py: a key set there would come too late. With
DEBUG off the settings refuse to start without a SECRET_KEY of their own (the committed demo
key would let anyone forge receipt links), so a test run brings one. Subprocesses that a test
starts inherit it.
"""

import os
import secrets

# A fresh key per run unless the caller gives one: no test may depend on a particular key.
if not os.environ.get("SECRET_KEY", "").strip():
    os.environ["SECRET_KEY"] = f"test-run-{secrets.token_urlsafe(48)}"
