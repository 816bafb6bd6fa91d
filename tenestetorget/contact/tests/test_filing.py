"""Filing an inquiry in the archive (contact.filing): the incoming journal post with its
documents, the answer as the outgoing post that writes it off, the queue's filing policy,
who may file, and the links between the inquiry and the journal."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tenestetorget.contact import filing, services
from tenestetorget.contact.models import (
    EventKind,
    FilingDirection,
    Inquiry,
    InquiryEvent,
    InquiryFiling,
    MessageKind,
)
from tenestetorget.core import documents
from tenestetorget.organisation.models import Channel, FilingPolicy, Queue
from tenestetorget.records import links
from tenestetorget.records import services as records
from tenestetorget.records.models import (
    ArkivdelStatus,
    CaseFolder,
    Journalposttype,
    Journalstatus,
    RegistreringKind,
    RegistryEntry,
    Screening,
    WriteOff,
)
from tenestetorget.records.selectors import restanse

PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"


@pytest.fixture
def archive(staff: dict[str, Any]) -> dict[str, Any]:
    archivist = staff["archivist"]
    fonds = records.create_archive("Vinje kommune", [("974760673", "Vinje kommune")], archivist)
    series = records.create_series(fonds, "Sakarkiv 2026–2029", archivist)
    return {"archive": fonds, "series": series}


def _entry(filed: InquiryFiling) -> RegistryEntry:
    return RegistryEntry.objects.select_related("case_folder").get(pk=filed.registry_entry_id)


def test_filing_makes_a_case_an_incoming_post_and_its_documents(
    register: Callable[..., Inquiry], staff: dict[str, Any], archive: dict[str, Any]
) -> None:
    inquiry = register(
        subject="Vasslekkasje ved hytta på Haukeli",
        body="Det lek frå kummen.\n\nKan de kome og sjå på det? Hilsen Kari Ærø Østby",
        attachments=[SimpleUploadedFile("bilete.pdf", PDF, "application/pdf")],
    )
    filed = filing.file_inquiry(inquiry, staff["tech"])

    entry = _entry(filed)
    case = entry.case_folder
    assert case.series == archive["series"]
    assert case.tittel == "Vasslekkasje ved hytta på Haukeli"
    assert case.unit.code == "teknisk"
    assert case.saksansvarlig_user == staff["tech"]
    assert entry.journalposttype == Journalposttype.INNGAAANDE
    assert entry.journalstatus == Journalstatus.JOURNALFOERT
    assert entry.tittel == inquiry.subject
    assert entry.mottatt_dato == inquiry.received_at
    assert entry.forfallsdato == inquiry.due_date
    assert entry.registrerings_id == f"{case.mappe_id}-1"
    (sender,) = entry.correspondence_parts.all()
    assert (sender.korrespondanseparttype, sender.korrespondansepart_navn) == (
        "EA",
        "Kari Nordmann",
    )
    assert sender.epostadresse == "kari@example.no"
    assert sender.is_person

    main, attachment = entry.documents.order_by("dokumentnummer")
    assert (main.tilknyttet_registrering_som, attachment.tilknyttet_registrering_som) == ("H", "V")
    assert {main.dokumentstatus, attachment.dokumentstatus} == {"F"}
    text_version = main.document_objects.get()
    assert text_version.format == "fmt/18"  # PDF 1.4
    assert text_version.stored_file is not None
    assert documents.read_verified(text_version.stored_file).startswith(b"%PDF-1.4")
    # The attachment is the very file the sender sent: one document in the store.
    assert attachment.tittel == "bilete.pdf"
    assert attachment.document_objects.get().stored_file == inquiry.attachments.get().stored_file

    assert filed.direction == FilingDirection.INCOMING
    event = inquiry.events.get(kind=EventKind.FILED)
    assert event.text == f"Arkivert som {entry.registrerings_id}"
    assert event.data["registry_entry"] == entry.pk


def test_the_inquiry_text_is_in_the_pdf(
    register: Callable[..., Inquiry], staff: dict[str, Any], archive: dict[str, Any], tmp_path: Any
) -> None:
    """Ghostscript reads the text back: the letters, the sender and the reference."""
    inquiry = register(subject="Snøbrøyting på Øvre Åsen", body="Vegen er ikkje brøytt. " * 400)
    entry = _entry(filing.file_inquiry(inquiry, staff["tech"]))
    stored = entry.documents.get().document_objects.get().stored_file
    assert stored is not None
    source = tmp_path / "inquiry.pdf"
    source.write_bytes(documents.read_verified(stored))
    out = subprocess.run(  # noqa: S603
        ["gs", "-q", "-dNOPAUSE", "-dBATCH", "-sDEVICE=txtwrite", "-sOutputFile=-", str(source)],  # noqa: S607
        capture_output=True,
        check=True,
    ).stdout.decode("utf-8")
    assert "Snøbrøyting på Øvre Åsen" in out
    assert inquiry.reference in out
    assert "Kari Nordmann" in out
    words = " ".join(out.split())
    assert words.count("Vegen er ikkje brøytt.") == 400  # every word, over several pages


def test_filing_twice_is_refused_with_the_case(
    register: Callable[..., Inquiry], staff: dict[str, Any], archive: dict[str, Any]
) -> None:
    inquiry = register()
    entry = _entry(filing.file_inquiry(inquiry, staff["tech"]))
    with pytest.raises(ValidationError) as refused:
        filing.file_inquiry(inquiry, staff["archivist"])
    assert refused.value.messages == [
        f"Førespurnaden er alt arkivert i sak {entry.case_folder.mappe_id}."
    ]
    assert CaseFolder.objects.count() == 1


def test_without_an_active_period_the_archivist_is_asked_for_one_and_nothing_is_kept(
    register: Callable[..., Inquiry], staff: dict[str, Any], archive: dict[str, Any]
) -> None:
    type(archive["series"]).objects.update(arkivdelstatus=ArkivdelStatus.AVSLUTTA)
    inquiry = register()
    with pytest.raises(ValidationError, match="Be arkivaren opprette ein arkivdel"):
        filing.file_inquiry(inquiry, staff["tech"])
    assert not CaseFolder.objects.exists()
    assert not InquiryFiling.objects.exists()


def test_who_may_file(
    register: Callable[..., Inquiry], staff: dict[str, Any], archive: dict[str, Any]
) -> None:
    inquiry = register()  # vatn_avlop, unit teknisk
    assert not filing.may_file(staff["front"], inquiry)
    assert not filing.may_file(staff["builder"], inquiry)
    assert filing.may_file(staff["tech"], inquiry)
    assert filing.may_file(staff["archivist"], inquiry)
    with pytest.raises(PermissionDenied):
        filing.file_inquiry(inquiry, staff["front"])
    with pytest.raises(PermissionDenied):
        filing.file_inquiry(inquiry, staff["builder"])
    filing.file_inquiry(inquiry, staff["archivist"])
    assert not filing.may_file(staff["archivist"], inquiry)  # filed now


def test_a_queue_that_never_files_refuses(
    register: Callable[..., Inquiry], staff: dict[str, Any], archive: dict[str, Any]
) -> None:
    Queue.objects.filter(code="vatn_avlop").update(filing=FilingPolicy.NEVER)
    inquiry = register()
    assert not filing.may_file(staff["archivist"], inquiry)
    with pytest.raises(ValidationError, match="arkiverer ikkje henvendingar"):
        filing.file_inquiry(inquiry, staff["archivist"])


def test_filing_into_an_existing_case(
    register: Callable[..., Inquiry], staff: dict[str, Any], archive: dict[str, Any]
) -> None:
    first = _entry(filing.file_inquiry(register(), staff["tech"]))
    case = filing.case_by_number(staff["tech"], first.case_folder.mappe_id)
    second = _entry(
        filing.file_inquiry(register(subject="Meir om kummen"), staff["tech"], case=case)
    )
    assert second.case_folder == first.case_folder
    assert second.journalpostnummer == 2
    with pytest.raises(ValidationError, match="Fann inga open sak"):
        filing.case_by_number(staff["builder"], first.case_folder.mappe_id)  # another unit's


def test_screening_the_title_and_the_name(
    register: Callable[..., Inquiry], staff: dict[str, Any], archive: dict[str, Any]
) -> None:
    inquiry = register(subject="Heimesjukepleie for Kari Nordmann")
    screening = filing.FilingScreening(
        tilgangsrestriksjon="13",
        skjermingshjemmel="Offl. § 13 jf. fvl. § 13",
        offentlig_tittel="Heimesjukepleie for ******",
    )
    entry = _entry(filing.file_inquiry(inquiry, staff["tech"], screening=screening))
    assert entry.offentlig_tittel == "Heimesjukepleie for ******"
    post = Screening.objects.get(registry_entry=entry)
    assert post.skjermingshjemmel == "Offl. § 13 jf. fvl. § 13"
    assert set(post.skjerming_metadata) == {"TR1", "TRO", "NA"}
    case = Screening.objects.get(case_folder=entry.case_folder)
    assert set(case.skjerming_metadata) == {"TM1", "TMO", "NPS"}
    assert entry.case_folder.offentlig_tittel == "Heimesjukepleie for ******"


def test_a_screening_must_screen_something(
    register: Callable[..., Inquiry], staff: dict[str, Any], archive: dict[str, Any]
) -> None:
    inquiry = register()
    nothing = filing.FilingScreening("13", "Offl. § 13", inquiry.subject, screen_name=False)
    with pytest.raises(ValidationError) as refused:
        filing.file_inquiry(inquiry, staff["tech"], screening=nothing)
    assert "offentlig_tittel" in refused.value.message_dict
    assert not CaseFolder.objects.exists()


# --- the answer ------------------------------------------------------------------------------


def test_the_answer_by_email_is_the_outgoing_post_that_writes_the_incoming_off(
    register: Callable[..., Inquiry], staff: dict[str, Any], archive: dict[str, Any]
) -> None:
    inquiry = register()
    incoming = _entry(filing.file_inquiry(inquiry, staff["tech"]))
    services.answer_inquiry(inquiry, staff["tech"], "Vi kjem i morgon.")

    answer = InquiryFiling.objects.get(inquiry=inquiry, direction=FilingDirection.OUTGOING)
    outgoing = _entry(answer)
    assert outgoing.case_folder == incoming.case_folder
    assert outgoing.journalposttype == Journalposttype.UTGAAANDE
    assert outgoing.journalstatus == Journalstatus.EKSPEDERT
    assert outgoing.saksbehandler_user == staff["tech"]
    (to,) = outgoing.correspondence_parts.all()
    assert (to.korrespondanseparttype, to.korrespondansepart_navn) == ("EM", "Kari Nordmann")
    main = outgoing.documents.get()
    assert main.dokumentstatus == "F"
    written = WriteOff.objects.get(registry_entry=incoming)
    assert (written.avskrivningsmaate, written.answered_by) == ("BE", outgoing)
    assert not restanse(staff["archivist"]).filter(pk=incoming.pk).exists()
    assert inquiry.events.filter(kind=EventKind.FILED).count() == 2


def test_a_phone_answer_is_a_note_and_writes_off_by_phone(
    register: Callable[..., Inquiry], staff: dict[str, Any], archive: dict[str, Any]
) -> None:
    inquiry = register(
        channel=Channel.PHONE, sender=services.SenderData(name="Per Hansen", phone="91234567")
    )
    incoming = _entry(filing.file_inquiry(inquiry, staff["tech"]))
    services.answer_inquiry(inquiry, staff["tech"], "Sagt at vi kjem i morgon.")
    note = _entry(InquiryFiling.objects.get(inquiry=inquiry, direction=FilingDirection.OUTGOING))
    assert note.kind == RegistreringKind.ARKIVNOTAT
    assert WriteOff.objects.get(registry_entry=incoming).avskrivningsmaate == "TLF"


def test_the_front_desk_answers_and_the_robot_files_the_answer(
    register: Callable[..., Inquiry], staff: dict[str, Any], archive: dict[str, Any]
) -> None:
    """The front desk keeps no records, yet its answer must reach the archive."""
    inquiry = register()
    incoming = _entry(filing.file_inquiry(inquiry, staff["tech"]))
    services.answer_inquiry(inquiry, staff["front"], "Vi kjem i morgon.")
    outgoing = _entry(
        InquiryFiling.objects.get(inquiry=inquiry, direction=FilingDirection.OUTGOING)
    )
    assert outgoing.saksbehandler_user == staff["front"]
    assert outgoing.opprettet_av == "Tenestetorget (automatisk arkivering)"
    assert WriteOff.objects.filter(registry_entry=incoming).exists()
    robot = filing.system_actor()
    assert not robot.is_active and not robot.has_usable_password()


def test_an_answer_into_a_closed_case_is_refused_whole(
    register: Callable[..., Inquiry], staff: dict[str, Any], archive: dict[str, Any]
) -> None:
    inquiry = register()
    incoming = _entry(filing.file_inquiry(inquiry, staff["tech"]))
    records.close_saksmappe(incoming.case_folder, staff["archivist"])
    with pytest.raises(ValidationError, match="som er avslutta"):
        services.answer_inquiry(inquiry, staff["tech"], "Vi kjem i morgon.")
    inquiry.refresh_from_db()
    assert inquiry.answered_at is None
    assert not inquiry.messages.filter(kind=MessageKind.ANSWER).exists()


def test_closing_a_filed_inquiry_without_an_answer_notes_it(
    register: Callable[..., Inquiry], staff: dict[str, Any], archive: dict[str, Any]
) -> None:
    inquiry = register()
    incoming = _entry(filing.file_inquiry(inquiry, staff["tech"]))
    services.close_inquiry(inquiry, staff["tech"], note="Dobbel.")
    written = WriteOff.objects.get(registry_entry=incoming)
    assert (written.avskrivningsmaate, written.note) == ("TO", "Dobbel.")


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    by_email=st.booleans(),
    answerer=st.sampled_from(["front", "tech", "leader", "admin"]),
    close=st.booleans(),
    screened=st.booleans(),
    with_attachment=st.booleans(),
    reopen_and_answer_again=st.booleans(),
)
def test_property_an_answered_filed_inquiry_is_never_in_restanse(
    register: Callable[..., Inquiry],
    staff: dict[str, Any],
    archive: dict[str, Any],
    by_email: bool,
    answerer: str,
    close: bool,
    screened: bool,
    with_attachment: bool,
    reopen_and_answer_again: bool,
) -> None:
    sender = services.SenderData(
        name="Kari Nordmann", email="kari@example.no" if by_email else "", phone="91234567"
    )
    inquiry = register(
        channel=Channel.EMAIL if by_email else Channel.PHONE,
        sender=sender,
        attachments=[SimpleUploadedFile("a.pdf", PDF, "application/pdf")]
        if with_attachment
        else None,
    )
    screening = (
        filing.FilingScreening("13", "Offl. § 13 jf. fvl. § 13", "Vasslekkasje ved ******")
        if screened
        else None
    )
    incoming = _entry(filing.file_inquiry(inquiry, staff["tech"], screening=screening))
    unit = incoming.case_folder.unit
    assert restanse(staff["archivist"], unit=unit).filter(pk=incoming.pk).exists()

    services.answer_inquiry(inquiry, staff[answerer], "Vi har sett på saka.", close=close)
    if reopen_and_answer_again:
        services.reopen_inquiry(inquiry, staff["tech"])
        services.answer_inquiry(inquiry, staff["tech"], "Eit svar til.", close=True)

    assert not restanse(staff["archivist"], unit=unit).filter(pk=incoming.pk).exists()
    assert not restanse(staff["tech"]).filter(pk=incoming.pk).exists()
    answers = InquiryFiling.objects.filter(inquiry=inquiry, direction=FilingDirection.OUTGOING)
    assert answers.count() == (2 if reopen_and_answer_again else 1)
    if screened:
        for answer in answers:
            assert Screening.objects.filter(registry_entry_id=answer.registry_entry_id).exists()


# --- the policy: filed when received ---------------------------------------------------------


def test_a_queue_that_always_files_files_each_inquiry_when_it_is_received(
    register: Callable[..., Inquiry],
    staff: dict[str, Any],
    archive: dict[str, Any],
    django_capture_on_commit_callbacks: Any,
) -> None:
    Queue.objects.filter(code="byggjesak").update(filing=FilingPolicy.ALWAYS)
    with django_capture_on_commit_callbacks(execute=True):
        inquiry = register(queue="byggjesak", subject="Søknad om garasje")
    filed = filing.incoming_filing(inquiry)
    assert filed is not None
    entry = _entry(filed)
    assert entry.case_folder.unit.code == "plan_bygg"
    assert entry.case_folder.tittel == "Søknad om garasje"
    event = inquiry.events.get(kind=EventKind.FILED)
    assert event.actor is None and event.data["automatic"] is True
    # The task may run again (a worker died): nothing more happens.
    assert filing.file_on_receipt(inquiry.pk) == "skipped"
    assert InquiryFiling.objects.filter(inquiry=inquiry).count() == 1


def test_an_automatic_filing_that_fails_keeps_the_inquiry_and_says_why(
    register: Callable[..., Inquiry], staff: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    Queue.objects.filter(code="byggjesak").update(filing=FilingPolicy.ALWAYS)
    with django_capture_on_commit_callbacks(execute=True):
        inquiry = register(queue="byggjesak")  # no archive yet
    assert Inquiry.objects.filter(pk=inquiry.pk).exists()
    assert filing.incoming_filing(inquiry) is None
    failed = InquiryEvent.objects.get(inquiry=inquiry, kind=EventKind.FILING_FAILED)
    assert "Be arkivaren opprette ein arkivdel" in failed.text
    assert filing.may_file(staff["builder"], inquiry)  # can be filed by hand later


def test_choice_and_never_queues_are_not_filed_on_receipt(
    register: Callable[..., Inquiry],
    archive: dict[str, Any],
    django_capture_on_commit_callbacks: Any,
) -> None:
    Queue.objects.filter(code="veg").update(filing=FilingPolicy.NEVER)
    with django_capture_on_commit_callbacks(execute=True):
        register(queue="vatn_avlop")
        register(queue="veg")
    assert not InquiryFiling.objects.exists()


# --- the links ------------------------------------------------------------------------------


def test_the_journal_post_links_back_to_the_inquiry(
    register: Callable[..., Inquiry],
    staff: dict[str, Any],
    archive: dict[str, Any],
    django_assert_max_num_queries: Any,
) -> None:
    inquiries = [register() for _ in range(3)]
    entries = [filing.file_inquiry(i, staff["tech"]).registry_entry_id for i in inquiries]
    with django_assert_max_num_queries(1):
        found = links.sources_for(entries)
    for inquiry, entry_id in zip(inquiries, entries, strict=True):
        (link,) = found[entry_id]
        assert link.label == f"Henvending {inquiry.reference}"
        assert link.url == f"/tenestetorget/henvending/{inquiry.reference}/"
