"""Logging helpers: no fødselsnummer ever reaches a log line."""

import logging

from tenestetorget.core.identifiers import mask_fodselsnummer_in_text

# Formats a traceback the way logging.Formatter does by default, so that it can be masked
# before any handler's formatter sees it.
_TRACEBACK_FORMATTER = logging.Formatter()


class MaskFodselsnummerFilter(logging.Filter):
    """Rewrites each record with every fødselsnummer masked: the message, the traceback and
    the stack. Attach it to handlers (settings.LOGGING does), since a logger's own filters do
    not see records that propagate from child loggers. It never drops a record."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:
            # A broken format string is the caller's bug. Keep what they wrote, masked and
            # already merged, so the handler neither fails on it nor prints it unmasked.
            message = f"{record.msg!s} (arguments: {record.args!r})"
            record.msg, record.args = mask_fodselsnummer_in_text(message), None
        else:
            masked = mask_fodselsnummer_in_text(message)
            if masked != message:
                record.msg, record.args = masked, None
        if record.exc_info and not record.exc_text:
            # Formatter.format() uses exc_text when it is set, so the masked text is printed.
            record.exc_text = _TRACEBACK_FORMATTER.formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask_fodselsnummer_in_text(record.exc_text)
        if record.stack_info:
            record.stack_info = mask_fodselsnummer_in_text(record.stack_info)
        return True
