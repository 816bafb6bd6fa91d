from django.urls import path

from tenestetorget.booking import views

app_name = "booking"
urlpatterns = [
    path("", views.overview, name="index"),
    path("booking/<int:pk>/", views.detail, name="detail"),
    path("booking/<int:pk>/godkjenn/", views.approve, name="approve"),
    path("booking/<int:pk>/avsla/", views.deny, name="deny"),
    path("booking/<int:pk>/avbestill/", views.cancel, name="cancel"),
    path("booking/<int:pk>/flytt/", views.move, name="move"),
    path("booking/<int:pk>/fjern-sperring/", views.unblock, name="unblock"),
    path("booking/<int:pk>/kontakt/", views.contact_guest, name="contact"),
    path("booking/<int:pk>/avbestill-serien/", views.cancel_series, name="cancel_series"),
    path("ny/", views.new_booking, name="new_booking"),
    path("sperr/", views.new_block, name="new_block"),
    path("serie/ny/", views.new_series, name="new_series"),
    path("serie/<int:pk>/", views.series, name="series"),
    path("serie/<int:pk>/endre/", views.change_series, name="change_series"),
    path("ical/<slug:slug>/<str:token>.ics", views.feed, name="feed"),
    path("fakturagrunnlag.csv", views.invoice_basis, name="invoice_basis"),
    path("trekning/", views.lotteries, name="lotteries"),
    path("trekning/<int:pk>/", views.lottery_page, name="lottery"),
    path("trekning/<int:pk>/trekk/", views.draw_lottery, name="draw_lottery"),
    path("provebustad/", views.applications, name="applications"),
    path("provebustad/<int:pk>/", views.application_page, name="application"),
    path("provebustad/<int:pk>/godkjenn/", views.approve_application, name="approve_application"),
    path("provebustad/<int:pk>/avsla/", views.deny_application, name="deny_application"),
    path("provebustad/<int:pk>/innflytting/", views.start_stay, name="start_stay"),
    path("provebustad/<int:pk>/avslutt/", views.finish_stay, name="finish_stay"),
    path("provebustad/<int:pk>/oppfolging/", views.follow_up, name="follow_up"),
]
