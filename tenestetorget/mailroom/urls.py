from django.urls import path

from tenestetorget.mailroom import views

app_name = "mailroom"
urlpatterns = [
    path("", views.mailroom, name="index"),
    path("skanna/", views.upload_scan, name="upload_scan"),
    path("melding/<int:pk>/fordel/", views.route, name="route"),
    path("melding/<int:pk>/prov-pa-nytt/", views.reprocess, name="reprocess"),
    path("melding/<int:pk>/original/", views.raw, name="raw"),
    path("vedlegg/<int:pk>/", views.held_attachment, name="held_attachment"),
]
