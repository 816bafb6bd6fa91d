"""Template context every page needs: the municipality's name and phone number."""

from django.conf import settings
from django.http import HttpRequest


def municipality(request: HttpRequest) -> dict[str, object]:
    conf = settings.TENESTETORGET
    return {"municipality_name": conf["MUNICIPALITY_NAME"], "municipality_phone": conf["PHONE"]}
