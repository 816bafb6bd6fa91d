"""The settings for tools that read them without running the site: mypy's Django plugin
(pyproject.toml, [tool.django-stubs]).

With DEBUG off the settings refuse to load without a SECRET_KEY of the installation's own.
A type checker serves and signs nothing, so it gets a throw-away key, and `mypy tenestetorget`
works in a shell or an editor without one.
"""

import os
import secrets

if not os.environ.get("SECRET_KEY", "").strip():
    os.environ["SECRET_KEY"] = f"tools-only-{secrets.token_urlsafe(48)}"

from tenestetorget.settings import *  # noqa: F403
