from django.urls import path

from tenestetorget.contact import views

app_name = "contact"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("eining/", views.unit_inbox, name="unit_inbox"),
    path("teljing/", views.inbox_counts, name="inbox_counts"),
    path("ny/", views.phone_note, name="phone_note"),
    path("ny/forslag/", views.queue_proposal, name="queue_proposal"),
    path("avsendarar/", views.sender_lookup, name="sender_lookup"),
    path("sok/", views.search, name="search"),
    path("utboks/", views.outbox, name="outbox"),
    path("utboks/<int:pk>/send-pa-nytt/", views.resend_message, name="resend_message"),
    path("statistikk/", views.statistics, name="statistics"),
    path("manglande-svar/", views.missing_answers, name="missing_answers"),
    path("tenestegarantiar/", views.guarantees, name="guarantees"),
    path("nye-til-meg/", views.handover_count, name="handover_count"),
    path("henvending/<str:reference>/", views.detail, name="detail"),
    path("henvending/<str:reference>/forslag/", views.suggestions, name="suggestions"),
    path("henvending/<str:reference>/vidaresend/", views.forward, name="forward"),
    path("henvending/<str:reference>/stadfest/", views.acknowledge, name="acknowledge"),
    path("henvending/<str:reference>/ta/", views.take, name="take"),
    path("henvending/<str:reference>/svar/", views.answer, name="answer"),
    path("henvending/<str:reference>/forebels-svar/", views.interim_reply, name="interim"),
    path("henvending/<str:reference>/merknad/", views.note, name="note"),
    path("henvending/<str:reference>/vent/", views.pause, name="pause"),
    path("henvending/<str:reference>/fortset/", views.resume, name="resume"),
    path("henvending/<str:reference>/avslutt/", views.close, name="close"),
    path("henvending/<str:reference>/opna/", views.reopen, name="reopen"),
    path("henvending/<str:reference>/vedlegg/", views.attach, name="attach"),
    path("henvending/<str:reference>/arkiver/", views.file_inquiry, name="file"),
    path(
        "henvending/<str:reference>/avsendarregister/",
        views.update_sender,
        name="update_sender",
    ),
    path(
        "henvending/<str:reference>/vedlegg/<int:pk>/",
        views.attachment_download,
        name="attachment",
    ),
]
