from django.urls import path

from tenestetorget.portal import booking, journal, views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("sok/", views.search, name="search"),
    path("tenester/", views.catalogue, name="catalogue"),
    path("tenester/<slug:code>/", views.life_situation, name="life_situation"),
    path("teneste/<slug:slug>/", views.service, name="service"),
    path("artikkel/<slug:slug>/", views.article, name="article"),
    path("vedlegg/<int:pk>/<str:name>", views.article_attachment, name="article_attachment"),
    path("kontakt/", views.contact, name="contact"),
    path("kontakt/tema-forslag/", views.contact_topic, name="contact_topic"),
    path("kontakt/kvittering/<str:token>/", views.receipt, name="receipt"),
    path("tenestegarantiar/", views.guarantees, name="guarantees"),
    path("journal/", journal.journal, name="journal"),
    path("utleige/", booking.index, name="booking_index"),
    path("utleige/mine/<str:token>/", booking.mine, name="booking_mine"),
    path("utleige/mine/<str:token>/avbestill/<int:pk>/", booking.cancel, name="booking_cancel"),
    path("utleige/mine/<str:token>/endre/<int:pk>/", booking.move, name="booking_move"),
    path(
        "utleige/mine/<str:token>/stadfest/<int:pk>/",
        booking.lottery_confirm,
        name="booking_lottery_confirm",
    ),
    path("utleige/kvittering/<str:token>/<int:pk>/", booking.receipt, name="booking_receipt"),
    path("utleige/trekning/<int:pk>/", booking.lottery_page, name="booking_lottery"),
    path(
        "utleige/trekning/kvittering/<str:token>/<int:pk>/",
        booking.lottery_receipt,
        name="booking_lottery_receipt",
    ),
    path(
        "utleige/provebustad/kvittering/<str:token>/<int:pk>/",
        booking.trial_receipt,
        name="booking_trial_receipt",
    ),
    path("utleige/bilete/<int:pk>/", booking.image, name="booking_image"),
    path("utleige/<slug:slug>/", booking.resource, name="booking_resource"),
    path("journal/innsyn/<uuid:system_id>/", journal.access_request, name="journal_access"),
]
