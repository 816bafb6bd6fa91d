"""Avskriving: an incoming post is marked as answered by letter or e-mail, by phone, or as
noted; once, before archiving, and only by someone who keeps the case's records."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, IntegrityError, connection, connections, transaction

from tenestetorget.records import services
from tenestetorget.records.models import (
    ArchivedRecordError,
    CaseFolder,
    ChangeLogEntry,
    Journalposttype,
    Korrespondanseparttype,
    RegistryEntry,
    WriteOff,
)
from tenestetorget.records.selectors import restanse
from tenestetorget.records.services import Party

pytestmark = pytest.mark.django_db

RECIPIENT = Party(Korrespondanseparttype.MOTTAKAR, "Kari Nordmann", poststed="Vinje")

Register = Callable[..., RegistryEntry]


@pytest.fixture
def answer(register: Register) -> Register:
    """An outgoing letter (U) in the case, by default."""

    def make(**kwargs: Any) -> RegistryEntry:
        values: dict[str, Any] = {
            "journalposttype": Journalposttype.UTGAAANDE,
            "tittel": "Svar på søknad",
            "parties": [RECIPIENT],
        }
        values.update(kwargs)
        return register(**values)

    return make


def _code(excinfo: pytest.ExceptionInfo[ValidationError]) -> str | None:
    return excinfo.value.code


def test_an_incoming_letter_answered_by_an_outgoing_one_leaves_the_restanse_list(
    register: Register, answer: Register, staff: Any
) -> None:
    builder = staff["builder"]
    incoming = register()
    reply = answer()
    assert list(restanse(builder)) == [incoming]

    done = services.write_off(incoming, builder, how="BU", answered_by=reply, note="Sendt i dag")

    assert (done.avskrivningsmaate, done.answered_by, done.note) == ("BU", reply, "Sendt i dag")
    assert (done.avskrevet_av, done.avskrevet_av_user) == ("Byggjar Test", builder)
    assert list(restanse(builder)) == []
    log = ChangeLogEntry.objects.get(referanse_arkivenhet=incoming.system_id)
    assert (log.referanse_metadata, log.ny_verdi) == ("avskrivning", f"BU {reply.registrerings_id}")


def test_an_internal_memo_with_follow_up_may_answer_by_e_mail(
    register: Register, answer: Register, staff: Any
) -> None:
    incoming = register()
    memo = answer(
        journalposttype=Journalposttype.INTERNT_MED_OPPFOELGING,
        parties=[Party(Korrespondanseparttype.INTERN_MOTTAKAR, "Plan og bygg")],
    )
    done = services.write_off(incoming, staff["builder"], how="BE", answered_by=memo)
    assert done.answered_by == memo


@pytest.mark.parametrize("how", ["TLF", "TE", "TO"])
def test_answered_by_phone_or_noted_leaves_the_restanse_list(
    register: Register, staff: Any, how: str
) -> None:
    incoming = register()
    done = services.write_off(incoming, staff["builder"], how=how)
    assert done.answered_by is None
    assert list(restanse(staff["builder"])) == []
    log = ChangeLogEntry.objects.get(referanse_arkivenhet=incoming.system_id)
    assert log.ny_verdi == how


def test_only_an_incoming_post_can_be_written_off(answer: Register, staff: Any) -> None:
    with pytest.raises(ValidationError) as excinfo:
        services.write_off(answer(), staff["builder"], how="TLF")
    assert _code(excinfo) == "not_incoming"


def test_a_post_cannot_be_written_off_twice(
    register: Register, answer: Register, staff: Any
) -> None:
    incoming = register()
    reply = answer()
    services.write_off(incoming, staff["builder"], how="BU", answered_by=reply)
    for how, by in [("TLF", None), ("BU", reply), ("BU", answer())]:
        with pytest.raises(ValidationError) as excinfo:
            services.write_off(incoming, staff["builder"], how=how, answered_by=by)
        assert _code(excinfo) == "written_off"
        assert "alt avskriven" in str(excinfo.value)
    assert WriteOff.objects.count() == 1
    assert ChangeLogEntry.objects.filter(referanse_arkivenhet=incoming.system_id).count() == 1


def test_the_database_keeps_one_write_off_per_post(register: Register, staff: Any) -> None:
    incoming = register()
    services.write_off(incoming, staff["builder"], how="TLF")
    with pytest.raises(IntegrityError), transaction.atomic():
        WriteOff.objects.create(registry_entry=incoming, avskrivningsmaate="TE", avskrevet_av="x")


@pytest.mark.django_db(transaction=True)
def test_clerks_writing_off_the_same_post_at_once_get_one_write_off_and_refusals(
    register: Register, staff: Any
) -> None:
    if connection.vendor == "sqlite" and connection.creation.is_in_memory_db(  # type: ignore[attr-defined]
        connection.settings_dict["NAME"]
    ):
        pytest.skip("in-memory SQLite test database: threads cannot wait for its write lock")
    incoming = register()
    threads = 6
    results: list[str] = []
    lock = threading.Lock()
    barrier = threading.Barrier(threads)

    def work() -> None:
        try:
            barrier.wait()
            services.write_off(incoming, staff["builder"], how="TLF")
            outcome = "done"
        except ValidationError as exc:
            outcome = str(exc.code)
        except Exception as exc:
            outcome = repr(exc)
        finally:
            connections.close_all()
        with lock:
            results.append(outcome)

    pool = [threading.Thread(target=work) for _ in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    assert sorted(results) == ["done"] + ["written_off"] * (threads - 1)
    assert WriteOff.objects.count() == 1


def test_an_answer_from_another_case_is_refused(
    register: Register, answer: Register, staff: Any, archive: Any, units: Any
) -> None:
    other_case = services.create_saksmappe(
        archive["series"], "Ei anna sak", units["plan_bygg"], staff["builder"], staff["builder"]
    )
    incoming = register()
    elsewhere = answer(case_folder=other_case)
    with pytest.raises(ValidationError) as excinfo:
        services.write_off(incoming, staff["builder"], how="BU", answered_by=elsewhere)
    assert _code(excinfo) == "answer_case"
    assert not WriteOff.objects.exists()


@pytest.mark.parametrize(
    ("how", "answer_type", "code"),
    [
        ("BU", None, "no_answer"),
        ("BE", None, "no_answer"),
        ("BU", Journalposttype.INNGAAANDE, "answer_type"),
        ("BU", Journalposttype.INTERNT_UTAN_OPPFOELGING, "answer_type"),
        ("TLF", Journalposttype.UTGAAANDE, "answer_not_in_writing"),
    ],
)
def test_the_answer_must_fit_the_way(
    register: Register, answer: Register, staff: Any, how: str, answer_type: str | None, code: str
) -> None:
    incoming = register()
    by = None
    if answer_type == Journalposttype.INNGAAANDE:
        by = register()
    elif answer_type is not None:
        internal = Party(Korrespondanseparttype.INTERN_MOTTAKAR, "Plan og bygg")
        by = answer(journalposttype=answer_type, parties=[RECIPIENT, internal])
    with pytest.raises(ValidationError) as excinfo:
        services.write_off(incoming, staff["builder"], how=how, answered_by=by)
    assert _code(excinfo) == code


def test_a_post_cannot_answer_itself_in_the_database(register: Register, staff: Any) -> None:
    incoming = register()
    with pytest.raises(IntegrityError), transaction.atomic():
        WriteOff.objects.create(
            registry_entry=incoming,
            avskrivningsmaate="BU",
            answered_by=incoming,
            avskrevet_av="x",
        )


def test_an_unknown_way_is_refused(register: Register, staff: Any) -> None:
    with pytest.raises(ValueError):
        services.write_off(register(), staff["builder"], how="XX")


def test_an_archived_post_is_final(archived_entry: RegistryEntry, staff: Any) -> None:
    with pytest.raises(ArchivedRecordError):
        services.write_off(archived_entry, staff["builder"], how="TLF")
    assert not WriteOff.objects.exists()


def test_a_write_off_is_final_once_its_post_is_archived(register: Register, staff: Any) -> None:
    incoming = register()
    done = services.write_off(incoming, staff["builder"], how="TE")
    services.set_journalstatus(incoming, "A", staff["builder"])
    done.note = "endra"
    with pytest.raises(ArchivedRecordError):
        done.save()
    with pytest.raises(ArchivedRecordError):
        done.delete()
    with pytest.raises(ArchivedRecordError):
        WriteOff.objects.filter(pk=done.pk).update(note="endra")


def test_postgresql_refuses_raw_sql_on_the_write_off_of_an_archived_post(
    register: Register, staff: Any
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the triggers exist on PostgreSQL only; SQLite relies on the model guards")
    incoming = register()
    done = services.write_off(incoming, staff["builder"], how="TE")
    with connection.cursor() as cursor:  # before archiving, raw SQL is not blocked
        cursor.execute("UPDATE records_writeoff SET note = 'før' WHERE id = %s", [done.pk])
    services.set_journalstatus(incoming, "A", staff["builder"])
    for sql in [
        "UPDATE records_writeoff SET note = 'etter' WHERE id = %s",
        "DELETE FROM records_writeoff WHERE id = %s",
    ]:
        with (
            pytest.raises(DatabaseError, match="archived"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql, [done.pk])
    assert WriteOff.objects.get(pk=done.pk).note == "før"


def test_only_who_keeps_the_case_may_write_off(
    register: Register, staff: Any, case: CaseFolder
) -> None:
    incoming = register()
    for outsider in (staff["tech"], staff["front"]):
        with pytest.raises(PermissionDenied):
            services.write_off(incoming, outsider, how="TLF")
    assert services.write_off(incoming, staff["archivist"], how="TLF").avskrevet_av == (
        "Arkivar Test"
    )


# RegistryEntry.avskriven: the post's own «written off», kept with its write-offs (the
# restanse reads it; migration 0012).


def _flag(entry: RegistryEntry) -> bool:
    return bool(RegistryEntry.objects.values_list("avskriven", flat=True).get(pk=entry.pk))


def test_writing_off_sets_the_posts_flag_in_the_same_transaction(
    register: Register, staff: Any
) -> None:
    incoming, other = register(), register()
    with transaction.atomic():
        services.write_off(incoming, staff["builder"], how="TLF")
        assert _flag(incoming)
    assert incoming.avskriven  # the caller's instance is read again
    assert not _flag(other)
    assert list(restanse(staff["builder"])) == [other]


def test_a_write_off_removed_before_archiving_clears_the_flag(
    register: Register, staff: Any
) -> None:
    incoming = register()
    done = services.write_off(incoming, staff["builder"], how="TE")
    done.delete()
    assert not _flag(incoming)
    assert list(restanse(staff["builder"])) == [incoming]


def test_a_write_off_moved_to_another_post_moves_the_flag(register: Register, staff: Any) -> None:
    first, second = register(), register()
    done = services.write_off(first, staff["builder"], how="TE")
    done.registry_entry = second
    done.save()
    assert (_flag(first), _flag(second)) == (False, True)


def test_saving_a_post_read_before_its_write_off_keeps_the_flag(
    register: Register, staff: Any
) -> None:
    incoming = register()
    stale = RegistryEntry.objects.get(pk=incoming.pk)
    services.write_off(incoming, staff["builder"], how="TLF")
    stale.forfallsdato = None
    stale.save()
    assert _flag(incoming)
    assert list(restanse(staff["builder"])) == []


def test_postgresql_keeps_the_flag_for_write_offs_written_with_sql(
    register: Register, staff: Any
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the triggers exist on PostgreSQL only; SQLite relies on the model")
    incoming = register()
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO records_writeoff (registry_entry_id, avskrivningsdato, avskrevet_av,"
            " avskrivningsmaate, note) VALUES (%s, CURRENT_DATE, 'x', 'TE', '')",
            [incoming.pk],
        )
        assert _flag(incoming)
        # Set by hand to anything else, it follows the write-offs still.
        cursor.execute(
            "UPDATE records_registryentry SET avskriven = FALSE WHERE id = %s", [incoming.pk]
        )
        assert _flag(incoming)
        cursor.execute("DELETE FROM records_writeoff WHERE registry_entry_id = %s", [incoming.pk])
        assert not _flag(incoming)
        cursor.execute(
            "UPDATE records_registryentry SET avskriven = TRUE WHERE id = %s", [incoming.pk]
        )
        assert not _flag(incoming)
