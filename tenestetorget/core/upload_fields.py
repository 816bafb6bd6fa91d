"""Form fields for uploads that let a file the upload handler refused (too large, one too
many: core.upload_handlers.RefusedUpload) through to the upload check, which says why next to
the field, instead of Django's own "the file is empty"."""

from __future__ import annotations

from typing import Any

from django import forms

from tenestetorget.core.upload_handlers import RefusedUpload


class UploadField(forms.FileField):
    def to_python(self, data: Any) -> Any:
        if isinstance(data, RefusedUpload):
            return data
        return super().to_python(data)


class MultipleUploadField(UploadField):
    """Several files in one input; cleans to a list (empty when none). The widget must allow
    several files (`allow_multiple_selected`)."""

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        single = super().clean
        items = data if isinstance(data, list | tuple) else [data]
        files = [cleaned for item in items if item and (cleaned := single(item, initial))]
        if self.required and not files:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        return files
