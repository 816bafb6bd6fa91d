from django.urls import path

from tenestetorget.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("kontakt/", views.contact, name="contact"),
    path("kontakt/kvittering/<str:token>/", views.receipt, name="receipt"),
    path("tenestegarantiar/", views.guarantees, name="guarantees"),
]
