from django.urls import path

from tenestetorget.knowledge import views

app_name = "knowledge_staff"
urlpatterns = [
    path("", views.index, name="index"),
    path("<slug:slug>/", views.detail, name="detail"),
    path("<slug:slug>/endre/", views.edit, name="edit"),
]
