"""The REST API, version 1 (mounted at /api/v1/; the schema is at /api/schema/)."""

from django.urls import URLPattern, URLResolver, path

from tenestetorget.api import knowledge, views

app_name = "api"
urlpatterns: list[URLPattern | URLResolver] = [
    path("inquiries/", views.InquiryListCreateView.as_view(), name="inquiry-list"),
    path("inquiries/<str:reference>/", views.InquiryDetailView.as_view(), name="inquiry-detail"),
    path("queues/", views.QueueListView.as_view(), name="queue-list"),
    path("knowledge/search/", knowledge.KnowledgeSearchView.as_view(), name="knowledge-search"),
]
