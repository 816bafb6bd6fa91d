"""Logging helpers: no fødselsnummer ever reaches a log line."""

import logging

from tenestetorget.core.identifiers import mask_fodselsnummer_in_text


class MaskFodselsnummerFilter(logging.Filter):
    """Rewrites each record's message with every valid fødselsnummer masked."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string is the caller's bug; log it as it is
            return True
        masked = mask_fodselsnummer_in_text(message)
        if masked != message:
            record.msg = masked
            record.args = None
        return True
