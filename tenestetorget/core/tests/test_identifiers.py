"""Fødselsnummer, D-/H-nummer, the 2032 check rule, organisasjonsnummer and masking.

Hand-checked numbers (check digits worked out with the weights 3 7 6 1 8 9 4 5 2 and
5 4 3 2 7 6 5 4 3 2, each k = 11 - (sum mod 11), 11 -> 0):
* 02013299997, 30108299920 and 30108299939: Skatteetaten's examples for the 2032 change
  ("Nytt fødselsnummer fra 2032"). The third is valid only under the new rule: its first
  sum with k1 leaves remainder 1 (199 mod 11).
* 02013299806: 020132 998, sum 154 -> k1 0; sum 148 -> k2 6.
* 41018557035 (D-nummer, born 1 Jan 1985): sum 184 -> k1 3; sum 171 -> k2 5.
* 01418557024 (H-nummer, January + 40): sum 196 -> k1 2; sum 161 -> k2 4.
* Organisasjonsnummer 974760673: 27+14+28+42+30+0+18+14+3 = 176 = 16 x 11.
"""

import datetime as dt
import re

import pytest
from hypothesis import assume, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from tenestetorget.core.identifiers import (
    InvalidIdentifier,
    calc_new_check_digits,
    compact,
    is_valid_fodselsnummer,
    is_valid_orgnr,
    mask_fodselsnummer,
    mask_fodselsnummer_in_text,
    uses_2032_check_rule,
    validate_fodselsnummer,
    validate_orgnr,
)

W1 = (3, 7, 6, 1, 8, 9, 4, 5, 2)
W2 = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)


def old_check_digits(nine: str) -> str | None:
    """The pre-2032 algorithm, written out independently of the code under test."""
    k1 = 11 - sum(int(d) * w for d, w in zip(nine, W1, strict=True)) % 11
    k1 = 0 if k1 == 11 else k1
    if k1 == 10:
        return None
    ten = nine + str(k1)
    k2 = 11 - sum(int(d) * w for d, w in zip(ten, W2, strict=True)) % 11
    k2 = 0 if k2 == 11 else k2
    if k2 == 10:
        return None
    return ten + str(k2)


def new_rule_numbers_for(nine: str) -> list[str]:
    """The 2032 algorithm as Skatteetaten writes it: k1 = {11, 12, 13, 14} - (sum mod 11),
    taken modulo 11 and discarded if 10; k2 as before."""
    remainder = sum(int(d) * w for d, w in zip(nine, W1, strict=True)) % 11
    numbers = []
    for c in (11, 12, 13, 14):
        k1 = (c - remainder) % 11
        if k1 == 10:
            continue
        ten = nine + str(k1)
        k2 = 11 - sum(int(d) * w for d, w in zip(ten, W2, strict=True)) % 11
        k2 = 0 if k2 == 11 else k2
        if k2 != 10:
            numbers.append(ten + str(k2))
    return numbers


# --- hand-checked ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    "number",
    [
        "02013299997",
        "30108299920",
        "30108299939",  # 2032 rule
        "02013299806",
        "41018557035",  # D-nummer
        "01418557024",  # H-nummer
        "020132 99997",  # as people write it
        "020132-99997",
        " 02013299997 ",
    ],
)
def test_valid_fodselsnummer(number):
    assert validate_fodselsnummer(number) == compact(number)
    assert is_valid_fodselsnummer(number)


@pytest.mark.parametrize(
    ("number", "code"),
    [
        ("0201329999", "fnr_length"),
        ("020132999977", "fnr_length"),
        ("0201329999x", "fnr_length"),
        ("", "fnr_length"),
        ("02013299998", "fnr_check"),  # last digit wrong
        ("02013299987", "fnr_check"),  # k1 wrong
        # k2 must still leave remainder 0 under the 2032 rule: remainders 1-3 are only for
        # k1. (30108299920 is valid; 21, 22, 23 leave 1, 2, 3 in the second sum.)
        ("30108299921", "fnr_check"),
        ("30108299922", "fnr_check"),
        ("30108299923", "fnr_check"),
        ("31028512345", "fnr_date"),  # 31 February
        ("29020112345", "fnr_date"),  # 29 February 1801/1901/2001: no leap year
        ("00018512345", "fnr_date"),
        ("01138512345", "fnr_date"),  # month 13
    ],
)
def test_invalid_fodselsnummer(number, code):
    with pytest.raises(InvalidIdentifier) as info:
        validate_fodselsnummer(number)
    assert info.value.code == code
    assert not is_valid_fodselsnummer(number)


def test_29_february_2000_is_a_date():
    # 290200 500: sum 91 -> k1 8; sum 91 -> k2 8.
    assert is_valid_fodselsnummer("29020050088")


@pytest.mark.parametrize("number", ["¹¹¹¹¹¹¹¹¹¹¹", "٠٢٠١٣٢٩٩٩٩٧", "０２０１３２９９９９７"])
def test_only_ascii_digits_count(number):
    # str.isdigit() accepts these; a fødselsnummer is written with 0-9.
    assert not is_valid_fodselsnummer(number)
    with pytest.raises(InvalidIdentifier):
        validate_fodselsnummer(number)


def test_2032_rule_is_recognised():
    assert not uses_2032_check_rule("30108299920")
    assert uses_2032_check_rule("30108299939")


def test_calc_new_check_digits_matches_skatteetaten_examples():
    numbers = calc_new_check_digits("301082999")
    assert "30108299920" in numbers  # remainder 0, the old number
    assert "30108299939" in numbers  # remainder 1
    assert all(is_valid_fodselsnummer(n) for n in numbers)
    assert len(numbers) <= 4  # one k2 per k1
    assert "02013299903" in calc_new_check_digits("020132999")


def test_orgnr():
    assert validate_orgnr("974760673") == "974760673"
    assert validate_orgnr("974 760 673") == "974760673"
    assert is_valid_orgnr("974760673")
    for bad in ("974760672", "97476067", "9747606731", "abcdefghi", ""):
        assert not is_valid_orgnr(bad)
        with pytest.raises(InvalidIdentifier) as info:
            validate_orgnr(bad)
        assert info.value.code == "orgnr"


def test_mask_fodselsnummer():
    assert mask_fodselsnummer("02013299997") == "020132*****"
    assert mask_fodselsnummer("020132 99997") == "020132*****"
    assert mask_fodselsnummer("12345") == "*****"
    assert mask_fodselsnummer("") == ""


def test_mask_in_text():
    text = "Ring frå 02013299997 om D-nr 410185 57035, tlf 35062300, ref 2026-000123."
    masked = mask_fodselsnummer_in_text(text)
    assert masked == ("Ring frå 020132***** om D-nr 410185*****, tlf 35062300, ref 2026-000123.")


def test_mask_in_text_masks_mistyped_numbers_and_leaves_others():
    # A wrong check digit is still someone's fødselsnummer with a typo.
    assert mask_fodselsnummer_in_text("fnr 02013299998") == "fnr 020132*****"
    # Eleven digits that do not start with a date (an account number) stay.
    assert mask_fodselsnummer_in_text("konto 12345678903") == "konto 12345678903"
    # Longer digit runs are not fødselsnummer.
    assert mask_fodselsnummer_in_text("0201329999712") == "0201329999712"
    assert mask_fodselsnummer_in_text("fnr:02013299997.") == "fnr:020132*****."


# --- properties -----------------------------------------------------------------------------
birth_dates = st.dates(min_value=dt.date(1854, 1, 1), max_value=dt.date(2039, 12, 31))


@st.composite
def old_rule_numbers(draw: st.DrawFn) -> str:
    day = draw(birth_dates)
    kind = draw(st.sampled_from(["fnr", "d", "h"]))
    dd, mm = day.day, day.month
    if kind == "d":
        dd += 40
    elif kind == "h":
        mm += 40
    individual = draw(st.integers(min_value=0, max_value=999))
    nine = f"{dd:02d}{mm:02d}{day.year % 100:02d}{individual:03d}"
    number = old_check_digits(nine)
    assume(number is not None)
    assert number is not None
    return number


@st.composite
def new_rule_numbers(draw: st.DrawFn) -> str:
    base = draw(old_rule_numbers())
    candidates = new_rule_numbers_for(base[:9])
    assume(candidates)
    return draw(st.sampled_from(candidates))


PROPS = hsettings(max_examples=300, deadline=None)


@PROPS
@given(old_rule_numbers())
def test_numbers_from_the_old_algorithm_always_validate(number):
    assert validate_fodselsnummer(number) == number
    assert not uses_2032_check_rule(number)


@PROPS
@given(new_rule_numbers())
def test_numbers_from_the_new_algorithm_always_validate(number):
    assert validate_fodselsnummer(number) == number


@PROPS
@given(old_rule_numbers())
def test_calc_new_check_digits_agrees_with_skatteetatens_formula(number):
    assert sorted(calc_new_check_digits(number[:9])) == sorted(new_rule_numbers_for(number[:9]))


@PROPS
@given(st.one_of(old_rule_numbers(), new_rule_numbers()), st.data())
def test_every_single_digit_change_is_caught(number, data):
    # k2 keeps the strict rule and every position has a weight in its sum that 11 does not
    # divide, so any one changed digit changes the second remainder.
    position = data.draw(st.integers(min_value=0, max_value=10))
    digit = data.draw(st.sampled_from([d for d in "0123456789" if d != number[position]]))
    changed = number[:position] + digit + number[position + 1 :]
    assert not is_valid_fodselsnummer(changed)


@PROPS
@given(st.one_of(old_rule_numbers(), new_rule_numbers()), st.integers(min_value=0, max_value=9))
def test_swapping_neighbours_is_caught(number, position):
    assume(number[position] != number[position + 1])
    swapped = number[:position] + number[position + 1] + number[position] + number[position + 2 :]
    assert not is_valid_fodselsnummer(swapped)


@PROPS
@given(st.text(alphabet="0123456789 -.", min_size=0, max_size=15))
def test_mask_never_shows_more_than_the_birth_date(value):
    masked = mask_fodselsnummer(value)
    digits = compact(value)
    assert re.fullmatch(r"\d{0,6}\**", masked)
    if len(digits) == 11:
        assert masked == digits[:6] + "*****"
    else:
        assert set(masked) <= {"*"}


no_digits = st.text(
    alphabet=st.characters(exclude_categories=["Nd"], exclude_characters="0123456789"),
    max_size=30,
)


@PROPS
@given(no_digits, st.one_of(old_rule_numbers(), new_rule_numbers()), no_digits, st.booleans())
def test_masking_in_text_never_reveals_the_last_five_digits(prefix, number, suffix, spaced):
    written = f"{number[:6]} {number[6:]}" if spaced else number
    masked = mask_fodselsnummer_in_text(prefix + written + suffix)
    assert number[6:] not in masked
    assert masked == prefix + number[:6] + "*****" + suffix


@PROPS
@given(st.lists(st.one_of(old_rule_numbers(), no_digits), max_size=6))
def test_masking_in_text_catches_every_number(parts):
    text = " ".join(parts)
    masked = mask_fodselsnummer_in_text(text)
    # Only birth dates are left: no run of more than six digits survives.
    assert re.search(r"\d{7}", masked) is None
    assert masked.count("*****") == sum(bool(re.fullmatch("[0-9]{11}", p)) for p in parts)
    assert mask_fodselsnummer_in_text(masked) == masked  # idempotent
