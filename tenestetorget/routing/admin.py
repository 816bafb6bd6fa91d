from django.contrib import admin

from tenestetorget.routing.models import RoutingRule


@admin.register(RoutingRule)
class RoutingRuleAdmin(admin.ModelAdmin):
    list_display = ["position", "field", "pattern", "queue", "active", "note"]
    list_display_links = ["pattern"]
    list_editable = ["position", "active"]
    list_filter = ["field", "active", "queue"]
    search_fields = ["pattern", "note"]
    ordering = ["position", "pk"]
