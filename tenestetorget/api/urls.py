"""The REST API, version 1 (mounted at /api/v1/; the schema is at /api/schema/)."""

from django.urls import URLPattern, URLResolver, path

from tenestetorget.api import actions, booking, journal, knowledge, views

app_name = "api"
urlpatterns: list[URLPattern | URLResolver] = [
    path("inquiries/", views.InquiryListCreateView.as_view(), name="inquiry-list"),
    path("inquiries/<str:reference>/", views.InquiryDetailView.as_view(), name="inquiry-detail"),
    # POST /inquiries/{reference}/{action}/: one route per action of the status machine
    # (name "inquiry-interim-reply" etc.), then a 404 in the API's format for any other.
    *(
        path(
            f"inquiries/<str:reference>/{action.value}/",
            view.as_view(),
            name=f"inquiry-{action.value}",
        )
        for action, view in actions.ACTION_VIEWS.items()
    ),
    path("inquiries/<str:reference>/<str:action>/", actions.UnknownActionView.as_view()),
    path("queues/", views.QueueListView.as_view(), name="queue-list"),
    path("knowledge/search/", knowledge.KnowledgeSearchView.as_view(), name="knowledge-search"),
    path("journal/", journal.PublicJournalView.as_view(), name="journal"),
    path("booking/resources/", booking.ResourceListView.as_view(), name="booking-resource-list"),
    path(
        "booking/resources/<str:slug>/",
        booking.ResourceDetailView.as_view(),
        name="booking-resource-detail",
    ),
    path(
        "booking/resources/<str:slug>/availability/",
        booking.AvailabilityView.as_view(),
        name="booking-availability",
    ),
    path("booking/bookings/", booking.BookingListCreateView.as_view(), name="booking-list"),
    path("booking/bookings/<int:pk>/", booking.BookingDetailView.as_view(), name="booking-detail"),
    path(
        "booking/bookings/<int:pk>/cancel/",
        booking.BookingCancelView.as_view(),
        name="booking-cancel",
    ),
]
