"""Norwegian identifiers: fødselsnummer (with D- and H-nummer), organisasjonsnummer.

Organisasjonsnummer is checked by python-stdnum. Fødselsnummer is checked here because the
check-digit rule changes for numbers issued from 2032 (Skatteetaten, "Nytt fødselsnummer fra
2032"): the first check digit k1 may then make the weighted sum (weights 3 7 6 1 8 9 4 5 2 1,
k1 included) leave a remainder of 0, 1, 2 or 3 modulo 11, where the old rule demanded 0. The
second check digit k2 is computed as before (weights 5 4 3 2 7 6 5 4 3 2 1, remainder 0).
Every number valid under the old rule is valid under the new one, so one validator serves
numbers issued before and after the change.

Birth dates are checked as stdnum does (D-nummer: day + 40; H-nummer: month + 40), without
the individual-number century table, which the new scheme no longer follows.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

from stdnum.exceptions import ValidationError as StdnumError
from stdnum.no import orgnr

_WEIGHTS_1 = (3, 7, 6, 1, 8, 9, 4, 5, 2, 1)
_WEIGHTS_2 = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2, 1)
#: Remainders the first check sum may leave: 0 before 2032, 0-3 from 2032.
_K1_REMAINDERS = frozenset({0, 1, 2, 3})
_NON_DIGITS = re.compile(r"[\s.\-]")
# Eleven digits, optionally written as 6 + 5 with one space, dot or dash between, and not part
# of a longer run of digits.
_FNR_IN_TEXT = re.compile(r"(?<!\d)(\d{6})[ .\-]?(\d{5})(?!\d)", re.ASCII)


class InvalidIdentifier(ValueError):
    """An identifier that fails its format or check digits. `code` names the reason."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def compact(value: str) -> str:
    """The value without spaces, dots and dashes."""
    return _NON_DIGITS.sub("", value or "")


def _remainder(digits: str, weights: tuple[int, ...]) -> int:
    return sum(int(d) * w for d, w in zip(digits, weights, strict=True)) % 11


def _birth_date_is_plausible(number: str) -> bool:
    day, month, year2 = int(number[0:2]), int(number[2:4]), int(number[4:6])
    if day > 40:  # D-nummer
        day -= 40
    if month > 40:  # H-nummer (help numbers)
        month -= 40
    # The century is unknown without the old individual-number table; a date that exists in
    # some century is plausible (29 February needs a leap year: 1900 is none, 2000 is one).
    for century in (1900, 2000, 1800):
        try:
            dt.date(century + year2, month, day)
            return True
        except ValueError:
            continue
    return False


def validate_fodselsnummer(value: str) -> str:
    """Return the compact 11-digit number or raise InvalidIdentifier.

    Accepts fødselsnummer, D-nummer and H-nummer, with check digits under the old rule or the
    rule for numbers issued from 2032.
    """
    number = compact(value)
    # isascii: str.isdigit() is also true for '²' and '٣', which are no fødselsnummer.
    if not (number.isascii() and number.isdigit()) or len(number) != 11:
        raise InvalidIdentifier("fnr_length", "A fødselsnummer has 11 digits.")
    if not _birth_date_is_plausible(number):
        raise InvalidIdentifier("fnr_date", "The first six digits are not a valid date.")
    if _remainder(number[:10], _WEIGHTS_1) not in _K1_REMAINDERS:
        raise InvalidIdentifier("fnr_check", "The check digits do not match.")
    if _remainder(number, _WEIGHTS_2) != 0:
        raise InvalidIdentifier("fnr_check", "The check digits do not match.")
    return number


def is_valid_fodselsnummer(value: str) -> bool:
    try:
        validate_fodselsnummer(value)
    except InvalidIdentifier:
        return False
    return True


def uses_2032_check_rule(value: str) -> bool:
    """Whether a valid number is valid only under the 2032 rule (k1 remainder 1-3)."""
    number = validate_fodselsnummer(value)
    return _remainder(number[:10], _WEIGHTS_1) != 0


def mask_fodselsnummer(value: str) -> str:
    """Show the birth date only: 010190*****. Never show the personal number."""
    number = compact(value)
    if len(number) != 11:
        return "*" * len(number)
    return number[:6] + "*****"


def mask_fodselsnummer_in_text(text: str) -> str:
    """Mask every 11-digit run that is or looks like a fødselsnummer (for logs, free text).

    "Looks like" means the first six digits are a date (or a D-/H-nummer date), whatever the
    check digits say. Other 11-digit numbers (account numbers rarely start with a date) are
    left alone.
    """
    return _replace_fodselsnummer(text, mask_fodselsnummer)


def remove_fodselsnummer_in_text(text: str, replacement: str) -> str:
    """Replace every number that is or looks like a fødselsnummer with `replacement`: for
    public output, where not even the birth date may show."""
    return _replace_fodselsnummer(text, lambda _number: replacement)


def _replace_fodselsnummer(text: str, replace: Callable[[str], str]) -> str:
    def repl(match: re.Match[str]) -> str:
        candidate = match.group(1) + match.group(2)
        # Valid or not: a mistyped fødselsnummer is still personal data.
        if _birth_date_is_plausible(candidate):
            return replace(candidate)
        return match.group(0)

    return _FNR_IN_TEXT.sub(repl, text)


def validate_orgnr(value: str) -> str:
    """Return the compact 9-digit organisasjonsnummer or raise InvalidIdentifier."""
    try:
        return str(orgnr.validate(value))
    except StdnumError as exc:
        raise InvalidIdentifier("orgnr", "Not a valid organisasjonsnummer.") from exc


def is_valid_orgnr(value: str) -> bool:
    try:
        validate_orgnr(value)
    except InvalidIdentifier:
        return False
    return True


def calc_new_check_digits(nine: str) -> list[str]:
    """Every valid 11-digit number for nine digits under the 2032 rule (for tests and the
    demo): up to four choices of k1, each with the one k2 that fits (none if it would be 10).
    """
    if len(nine) != 9 or not (nine.isascii() and nine.isdigit()):
        raise ValueError("nine digits expected")
    results = []
    for k1 in range(10):
        ten = nine + str(k1)
        if _remainder(ten, _WEIGHTS_1) not in _K1_REMAINDERS:
            continue
        for k2 in range(10):
            eleven = ten + str(k2)
            if _remainder(eleven, _WEIGHTS_2) == 0:
                results.append(eleven)
    return results
