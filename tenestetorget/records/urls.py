"""The archive pages, mounted at /arkiv/."""

from django.urls import path

from tenestetorget.records.views import cases, entries, lists, periods, register

app_name = "records"
urlpatterns = [
    path("", lists.search, name="search"),
    path("restansar/", lists.restanse_page, name="restanse"),
    path("saker/", cases.case_list, name="cases"),
    path("registrer/", register.register, name="register"),
    path("periodar/", periods.period_list, name="periods"),
    path("periodar/<int:pk>/avslutt/", periods.close_period, name="close_period"),
    path("periodar/<int:pk>/ny/", periods.start_period, name="start_period"),
    path("sak/<int:pk>/", cases.case_page, name="case"),
    path("sak/<int:pk>/avslutt/", cases.close_case, name="close_case"),
    path("sak/<int:pk>/tilgang/", cases.grant, name="case_grant"),
    path("journalpost/<int:pk>/", entries.entry_page, name="entry"),
    path("journalpost/<int:pk>/journalstatus/", entries.set_status, name="entry_status"),
    path("journalpost/<int:pk>/merknad/", entries.annotate, name="entry_annotate"),
    path("journalpost/<int:pk>/avskriv/", entries.write_off, name="entry_write_off"),
    path("journalpost/<int:pk>/skjerming/", entries.screen, name="entry_screen"),
    path("journalpost/<int:pk>/tilgang/", entries.grant, name="entry_grant"),
    path(
        "journalpost/<int:pk>/dokument/<int:document_pk>/ferdigstill/",
        entries.finish_document,
        name="document_finish",
    ),
    path("fil/<int:pk>/", entries.download, name="download"),
]
