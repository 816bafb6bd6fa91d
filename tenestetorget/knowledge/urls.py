from django.urls import path

from tenestetorget.knowledge import views

app_name = "knowledge_staff"
urlpatterns = [
    path("", views.index, name="index"),
    path("<slug:slug>/", views.detail, name="detail"),
    path("<slug:slug>/endre/", views.edit, name="edit"),
    path("<slug:slug>/vedlegg/", views.attachment_add, name="attachment_add"),
    path("<slug:slug>/vedlegg/<int:pk>/slett/", views.attachment_remove, name="attachment_remove"),
]
