"""Forgetting what a process remembers when the rows behind it change.

Some small, often read data is kept in each web process for a few seconds (the queues and
their guarantees, the callers of the API). A change saved in the same process must count at
once: the model signals make the memory forget it, and again when the transaction commits,
so that a read made between the change and the commit does not keep the old rows. Other
processes notice within the memory's own lifetime.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.db import models, transaction
from django.db.models.signals import post_delete, post_save


def forget_on_change(
    name: str, sources: Iterable[type[models.Model]], forget: Callable[[], None]
) -> None:
    def changed(**kwargs: Any) -> None:
        forget()
        transaction.on_commit(forget)

    for model in sources:
        label = model._meta.label
        post_save.connect(changed, sender=model, weak=False, dispatch_uid=f"{name}:save:{label}")
        post_delete.connect(
            changed, sender=model, weak=False, dispatch_uid=f"{name}:delete:{label}"
        )
