from django.urls import path

from tenestetorget.contact import views

app_name = "contact"
urlpatterns = [
    path("", views.inbox, name="inbox"),
]
