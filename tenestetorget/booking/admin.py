"""The municipality's administrators keep the resources, their rules, prices, pictures and
exception days here (Django admin, *Utleige*). Bookings are handled on the staff pages."""

from django.contrib import admin

from tenestetorget.booking.models import ClosedDay, Price, Resource, ResourceImage


class PriceInline(admin.TabularInline):
    model = Price
    extra = 1


class ImageInline(admin.TabularInline):
    model = ResourceImage
    extra = 1


class ClosedDayInline(admin.TabularInline):
    model = ClosedDay
    extra = 1


@admin.register(Resource)
class ResourceAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "booking_unit", "unit", "needs_approval", "active"]
    list_filter = ["kind", "active", "unit"]
    search_fields = ["name", "slug", "location"]
    prepopulated_fields = {"slug": ("name",)}
    inlines = [PriceInline, ImageInline, ClosedDayInline]
    exclude = ["version"]
    fieldsets = [
        (None, {"fields": ["slug", "kind", "name", "name_nb", "name_en", "unit", "active"]}),
        (
            "Skildring",
            {
                "fields": [
                    "description",
                    "description_nb",
                    "description_en",
                    "location",
                    "latitude",
                    "longitude",
                    "capacity",
                    "equipment",
                    "terms",
                    "arrival_info",
                ]
            },
        ),
        (
            "Reglar",
            {
                "fields": [
                    "eligible",
                    "booking_unit",
                    "changeover_weekday",
                    "min_units",
                    "max_units",
                    "days_ahead_residents",
                    "days_ahead_others",
                    "notice_hours",
                    "bookable_from_tomorrow",
                    "per_household_per_season",
                    "buffer_minutes",
                    "needs_approval",
                    "deposit",
                    "free_cancellation_days",
                    "check_in",
                    "check_out",
                    "open_weekdays",
                    "arrival_notice_days",
                ]
            },
        ),
    ]


@admin.register(ClosedDay)
class ClosedDayAdmin(admin.ModelAdmin):
    list_display = ["date", "resource", "reason"]
    list_filter = ["resource"]
    date_hierarchy = "date"
