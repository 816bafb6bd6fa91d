import pytest

from tenestetorget.demo.services import load_demo_organisation


@pytest.fixture
def demo_org(db):
    """The demo's units, queues, guarantees and staff."""
    return load_demo_organisation()
