"""Django admin for administrators: the organisation. Inquiries are worked on in the staff
pages, where the services enforce the rules and write the timeline."""

from django.contrib import admin

from tenestetorget.organisation.models import Queue, ServiceGuarantee, StaffProfile, Unit


class QueueInline(admin.TabularInline):
    model = Queue
    extra = 0
    fields = ["code", "name", "active"]


class GuaranteeInline(admin.TabularInline):
    model = ServiceGuarantee
    extra = 0


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]
    inlines = [QueueInline]


@admin.register(Queue)
class QueueAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "unit", "active"]
    list_filter = ["unit", "active"]
    search_fields = ["code", "name"]
    inlines = [GuaranteeInline]


@admin.register(StaffProfile)
class StaffProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "unit", "role", "title"]
    list_filter = ["role", "unit"]
    search_fields = ["user__username", "user__first_name", "user__last_name"]
    list_select_related = ["user", "unit"]
