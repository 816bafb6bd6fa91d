"""Django admin for administrators: the organisation. Inquiries are worked on in the staff
pages, where the services enforce the rules and write the timeline.

Names and published texts are Nynorsk; `name_nb`/`name_en` and `text_nb`/`text_en` are their
Bokmål and English translations, shown on the public pages and in the messages to senders
in those languages (empty: see docs/organisation.md)."""

from django.contrib import admin

from tenestetorget.organisation.models import Queue, ServiceGuarantee, StaffProfile, Unit


class QueueInline(admin.TabularInline):
    model = Queue
    extra = 0
    fields = ["code", "name", "name_nb", "name_en", "active", "filing"]


class GuaranteeInline(admin.StackedInline):
    model = ServiceGuarantee
    extra = 0
    fields = [
        ("channel", "answer_working_days", "interim_reply_working_days"),
        "text",
        "text_nb",
        "text_en",
    ]


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "name_nb", "name_en"]
    search_fields = ["code", "name", "name_nb", "name_en"]
    fields = ["code", "name", "name_nb", "name_en", "email", "note"]
    inlines = [QueueInline]


@admin.register(Queue)
class QueueAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "name_nb", "name_en", "unit", "active", "filing"]
    list_filter = ["unit", "active", "filing"]
    search_fields = ["code", "name", "name_nb", "name_en"]
    fields = ["code", "unit", "name", "name_nb", "name_en", "scope", "active", "filing"]
    inlines = [GuaranteeInline]


@admin.register(StaffProfile)
class StaffProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "unit", "role", "title"]
    list_filter = ["role", "unit"]
    search_fields = ["user__username", "user__first_name", "user__last_name"]
    list_select_related = ["user", "unit"]
