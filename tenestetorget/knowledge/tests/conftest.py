from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tenestetorget.knowledge.services import ContentReport, load_content
from tenestetorget.organisation.services import load_organisation

CONTENT = Path(__file__).resolve().parent / "content"
QUEUES = Path(__file__).resolve().parents[2] / "demo" / "data" / "queues.yaml"


@pytest.fixture
def content(db: Any) -> ContentReport:
    load_organisation(QUEUES)
    return load_content(CONTENT)
