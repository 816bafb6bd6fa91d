"""The log filter that keeps fødselsnummer out of log lines, tested with real loggers."""

import io
import logging

import pytest

from tenestetorget.core.logging import MaskFodselsnummerFilter

FNR = "02013299997"
D_NUMMER = "41018557035"


@pytest.fixture
def stream_logger():
    """A logger with a real StreamHandler that carries the filter, as settings.LOGGING does."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(levelname)s %(message)s"))
    handler.addFilter(MaskFodselsnummerFilter())
    logger = logging.getLogger("tenestetorget.tests.fnr")
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    logger.propagate = False
    yield logger, stream
    logger.removeHandler(handler)
    logger.propagate = True


def test_message_arguments_are_masked(stream_logger):
    logger, stream = stream_logger
    logger.info("Henvending frå %s (D-nr %s)", FNR, D_NUMMER)
    assert stream.getvalue() == "INFO Henvending frå 020132***** (D-nr 410185*****)\n"


def test_message_text_and_mapping_arguments_are_masked(stream_logger):
    logger, stream = stream_logger
    logger.warning(f"fnr {FNR} i teksten")
    logger.warning("fnr %(fnr)s i ei ordbok", {"fnr": "020132 99997"})
    out = stream.getvalue()
    assert "99997" not in out
    assert out.count("020132*****") == 2


def test_traceback_is_masked(stream_logger):
    logger, stream = stream_logger
    try:
        raise ValueError(f"ugyldig avsendar {FNR}")
    except ValueError:
        logger.exception("Registrering feila")
    out = stream.getvalue()
    assert "Traceback" in out
    assert "ugyldig avsendar 020132*****" in out
    assert "99997" not in out


def test_stack_info_is_masked(stream_logger):
    logger, stream = stream_logger
    # The stack prints source lines, so a literal number on the logging line shows in it.
    logger.info("stack", stack_info=True, extra={"sender": "02013299997"})
    out = stream.getvalue()
    assert "Stack (most recent call last)" in out
    assert "99997" not in out


def test_broken_format_strings_are_kept_masked_and_do_not_fail(stream_logger):
    logger, stream = stream_logger
    logger.error("to argument %s %s", FNR)  # one argument short
    out = stream.getvalue()
    assert "to argument" in out
    assert "99997" not in out
    assert "020132*****" in out


def test_records_without_numbers_are_untouched(stream_logger):
    logger, stream = stream_logger
    logger.info("Referanse %s, telefon %s", "2026-000123", "35062300")
    assert stream.getvalue() == "INFO Referanse 2026-000123, telefon 35062300\n"


def test_filter_with_caplog(caplog):
    caplog.handler.addFilter(MaskFodselsnummerFilter())
    try:
        with caplog.at_level(logging.INFO, logger="tenestetorget.contact"):
            logging.getLogger("tenestetorget.contact.services").info("Avsendar %s", FNR)
    finally:
        caplog.handler.filters.clear()
    assert caplog.messages == ["Avsendar 020132*****"]
    assert FNR not in caplog.text


def test_settings_put_the_filter_on_the_console_handler():
    # Django configured logging from settings.LOGGING at start-up; the root handler masks.
    root_handlers = logging.getLogger().handlers
    masking = [
        h for h in root_handlers if any(isinstance(f, MaskFodselsnummerFilter) for f in h.filters)
    ]
    assert masking, "settings.LOGGING must attach MaskFodselsnummerFilter to the console handler"
    handler = masking[0]
    record = logging.LogRecord("tenestetorget.x", logging.INFO, __file__, 1, "fnr %s", (FNR,), None)
    assert handler.filter(record)
    assert "99997" not in handler.format(record)
