"""The OpenAPI schema: generated without warnings, the same every time, and committed."""

from __future__ import annotations

from pathlib import Path

import yaml
from django.conf import settings
from django.core.management import call_command

from tenestetorget.contact.transitions import Action


def generate(path: Path) -> str:
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(path))
    return path.read_text()


def test_schema_is_valid_and_deterministic(tmp_path):
    first = generate(tmp_path / "a.yaml")
    second = generate(tmp_path / "b.yaml")
    assert first == second
    schema = yaml.safe_load(first)
    assert {
        "/api/v1/inquiries/",
        "/api/v1/inquiries/{reference}/",
        "/api/v1/queues/",
    } <= set(schema["paths"])
    operation = schema["paths"]["/api/v1/inquiries/"]["post"]
    assert "Idempotency-Key" in [p["name"] for p in operation["parameters"]]
    assert set(operation["responses"]) == {"201", "400", "401", "403", "413", "422"}
    # One operation per action on an inquiry, each with the 409 of the status machine.
    for action in Action.values:
        post = schema["paths"][f"/api/v1/inquiries/{{reference}}/{action}/"]["post"]
        assert post["responses"]["409"]["content"]["application/json"]["schema"] == {
            "$ref": "#/components/schemas/TransitionRefused"
        }


def test_committed_schema_has_the_api():
    """docs/openapi.yaml is what `make schema` writes; `make lint` diffs it exactly."""
    committed = yaml.safe_load((settings.BASE_DIR / "docs" / "openapi.yaml").read_text())
    assert "/api/v1/inquiries/" in committed["paths"]
    assert "/api/v1/inquiries/{reference}/interim-reply/" in committed["paths"]
