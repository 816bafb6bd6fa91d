"""Norwegian identifiers: fødselsnummer (with D- and H-nummer), organisasjonsnummer.

Organisasjonsnummer is checked by python-stdnum. Fødselsnummer is checked here because the
check-digit rule changes for numbers issued from 2032 (Skatteetaten, "pid"): the weighted sum
including the check digit may then leave a remainder of 0, 1, 2 or 3 modulo 11, where the old
rule demanded 0. A number is valid if it passes either rule, so one validator serves numbers
issued before and after the change. Birth dates are checked as stdnum does (D-nummer: day + 40;
H-nummer: month + 40), without the individual-number century table, which the new scheme no
longer follows.
"""

from __future__ import annotations

import datetime as dt
import re

from stdnum.exceptions import ValidationError as StdnumError
from stdnum.no import orgnr

_WEIGHTS_1 = (3, 7, 6, 1, 8, 9, 4, 5, 2, 1)
_WEIGHTS_2 = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2, 1)
_NON_DIGITS = re.compile(r"[\s.\-]")
_FNR_IN_TEXT = re.compile(r"(?<!\d)(\d{6})[ ]?(\d{5})(?!\d)")


class InvalidIdentifier(ValueError):
    """An identifier that fails its format or check digits. `code` names the reason."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def compact(value: str) -> str:
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
    # either 19xx or 20xx is plausible.
    for century in (1900, 2000, 1800):
        try:
            dt.date(century + year2, month, day)
            return True
        except ValueError:
            continue
    return False


def validate_fodselsnummer(value: str) -> str:
    """Return the compact 11-digit number or raise InvalidIdentifier."""
    number = compact(value)
    if not number.isdigit() or len(number) != 11:
        raise InvalidIdentifier("fnr_length", "A fødselsnummer has 11 digits.")
    if not _birth_date_is_plausible(number):
        raise InvalidIdentifier("fnr_date", "The first six digits are not a valid date.")
    r1 = _remainder(number[:10], _WEIGHTS_1)
    r2 = _remainder(number[:11], _WEIGHTS_2)
    old_rule = r1 == 0 and r2 == 0
    new_rule = r1 in (0, 1, 2, 3) and r2 in (0, 1, 2, 3)
    if not (old_rule or new_rule):
        raise InvalidIdentifier("fnr_check", "The check digits do not match.")
    return number


def is_valid_fodselsnummer(value: str) -> bool:
    try:
        validate_fodselsnummer(value)
    except InvalidIdentifier:
        return False
    return True


def mask_fodselsnummer(value: str) -> str:
    """Show the birth date only: 010190*****. Never show the personal number."""
    number = compact(value)
    if len(number) != 11:
        return "*" * len(number)
    return number[:6] + "*****"


def mask_fodselsnummer_in_text(text: str) -> str:
    """Mask every 11-digit run that is a valid fødselsnummer (for logs and free text)."""

    def repl(match: re.Match[str]) -> str:
        candidate = match.group(1) + match.group(2)
        return mask_fodselsnummer(candidate) if is_valid_fodselsnummer(candidate) else match.group(0)

    return _FNR_IN_TEXT.sub(repl, text)


def validate_orgnr(value: str) -> str:
    """Return the compact 9-digit organisasjonsnummer or raise InvalidIdentifier."""
    try:
        return str(orgnr.validate(value))
    except StdnumError as exc:
        raise InvalidIdentifier("orgnr", "Not a valid organisasjonsnummer.") from exc


def calc_new_check_digits(nine: str) -> list[str]:
    """Every valid pair of check digits for nine digits under the 2032 rule (for tests/demo)."""
    results = []
    for k1 in range(10):
        ten = nine + str(k1)
        if _remainder(ten, _WEIGHTS_1) not in (0, 1, 2, 3):
            continue
        for k2 in range(10):
            eleven = ten + str(k2)
            if _remainder(eleven, _WEIGHTS_2) in (0, 1, 2, 3):
                results.append(eleven)
    return results
