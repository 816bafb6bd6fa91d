"""A document version in the archive points at its file in the shared document store, and
copies its checksum, size and format from it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.db.models import ProtectedError

from tenestetorget.core import documents
from tenestetorget.core.models import DocumentImmutable
from tenestetorget.records import services
from tenestetorget.records.models import RegistryEntry

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def test_a_version_takes_checksum_size_and_format_from_the_stored_file(
    register: Callable[..., RegistryEntry], staff: dict[str, Any]
) -> None:
    actor = staff["builder"]
    stored = documents.store(ContentFile(PDF, name="soknad.pdf"), actor=actor)
    document = services.add_dokument(register(), "Søknad", actor)
    version = services.add_dokumentobjekt_from_file(document, actor, stored)
    version.refresh_from_db()
    assert version.stored_file == stored
    assert (version.sjekksum, version.filstoerrelse) == (stored.sha256, len(PDF))
    assert version.format == (stored.pronom or "av/0")
    assert version.referanse_dokumentfil == f"DOKUMENT/{stored.sha256}.pdf"
    assert version.versjonsnummer == 1
    # The archive holds on to its file: the store refuses to delete it while referenced.
    with pytest.raises((DocumentImmutable, ProtectedError)):
        stored.delete()
    assert documents.read_verified(stored) == PDF
