"""Tests for randcheck.ids, with python-stdnum as the oracle for checksum verdicts."""

from __future__ import annotations

import ast
import datetime
import pickle
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import assume, example, given
from hypothesis import strategies as st
from stdnum.cn import ric as stdnum_ric
from stdnum.cn import uscc as stdnum_uscc
from stdnum.exceptions import ValidationError as StdnumValidationError

import randcheck.ids
from randcheck.errors import InvalidIdentifier, ValidationError
from randcheck.ids import (
    USCC_ALPHABET,
    compact_resident_id,
    compact_uscc,
    find_unmasked_personal_data,
    has_valid_organisation_code,
    is_valid_resident_id,
    is_valid_uscc,
    looks_like_phone,
    looks_like_resident_id,
    mask_personal_data,
    mask_phone,
    mask_resident_id,
    organisation_code_check_character,
    resident_id_birth_date,
    resident_id_check_character,
    uscc_check_character,
    validate_resident_id,
    validate_uscc,
)
from randcheck.profiles import TIANJIN_HRSS
from randcheck.strategies import usccs

FAR_FUTURE = datetime.date(9999, 12, 31)
TODAY = datetime.date(2024, 6, 1)

# Real codes published online, from python-stdnum's test suite (tests/test_cn_uscc.doctest).
REAL_USCC = (
    "121200004013590816",
    "91110000600037341L",
    "91110000710926094P",
    "91120224064012553U",
    "91152201078371135X",
    "9115220107837757XE",
    "91310115MA1K3BTP2B",
    "91340600MA2PBM9HXD",
    "91620105L015101280",
    "92340602MA2PBMEM24",
    "92340621MA2UK3PJXE",
    "9144030071526726XG",
)

# From python-stdnum's documentation and tests (tests/test_cn_ric.doctest).
STDNUM_RIC = ("360426199101010071", "44011320141005001X", "110102199101010078")


def _with_uscc_check(body: str) -> str:
    return body + uscc_check_character(body)


def _with_ric_check(body: str) -> str:
    return body + resident_id_check_character(body)


def _stdnum_uscc_raises(value: str) -> bool:
    try:
        stdnum_uscc.validate(value)
    except StdnumValidationError:
        return True
    return False


def _stdnum_birth_place_rejected(value: str) -> bool:
    # stdnum 2.2 raises KeyError (not a ValidationError) for a province code with an
    # unknown county, e.g. 110001...; both mean its county table rejects the number.
    try:
        stdnum_ric.get_birth_place(value)
    except (StdnumValidationError, KeyError):
        return True
    return False


def _stdnum_ric_is_valid(value: str) -> bool:
    try:
        return stdnum_ric.is_valid(value)
    except KeyError:
        return False


# --------------------------------------------------------------------------- strategies

_uscc_char = st.sampled_from(USCC_ALPHABET)
_digit = st.sampled_from("0123456789")
_any_char = st.sampled_from("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcxyz -")

uscc_bodies_numeric_head = st.builds(
    lambda head, tail: head + tail,
    st.text(_digit, min_size=8, max_size=8),
    st.text(_uscc_char, min_size=9, max_size=9),
)
uscc_bodies = st.builds(
    lambda head, division, tail: head + division + tail,
    st.text(_uscc_char, min_size=2, max_size=2),
    st.text(_digit, min_size=6, max_size=6),
    st.text(_uscc_char, min_size=9, max_size=9),
)
birth_dates = st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date(2023, 12, 31))
ric_bodies = st.builds(
    lambda region, born, seq: region + born.strftime("%Y%m%d") + seq,
    st.sampled_from([d.code for d in TIANJIN_HRSS.districts] + ["360426", "440113", "110102"]),
    birth_dates,
    st.text(_digit, min_size=3, max_size=3),
)


# --------------------------------------------------------------------------- USCC


@pytest.mark.parametrize("code", REAL_USCC)
def test_real_uscc_are_valid_and_agree_with_stdnum(code: str) -> None:
    assert validate_uscc(code) == code
    assert is_valid_uscc(code)
    assert stdnum_uscc.is_valid(code)
    assert uscc_check_character(code[:17]) == code[17]
    assert has_valid_organisation_code(code)


def test_compact_uscc_strips_separators_and_upper_cases() -> None:
    assert compact_uscc(" 91 110000-600037341l ") == "91110000600037341L"
    assert validate_uscc("91 110000 600037341l") == "91110000600037341L"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("12345", "18 characters"),
        ("91110000600037341L0", "18 characters"),
        ("9111000060003IOZSV", "characters from 0-9 and A-Z except I, O, S, V, Z"),
        ("91110000600037341I", "characters from 0-9 and A-Z except I, O, S, V, Z"),
        ("9111A000600037341L", "a 6-digit administrative-division code at positions 3-8"),
        ("91110000600037341N", "check character 'L'"),
    ],
)
def test_invalid_uscc_error_fields(value: str, expected: str) -> None:
    with pytest.raises(InvalidIdentifier) as info:
        validate_uscc(value)
    error = info.value
    assert error.field == "uscc"
    assert error.expected == expected
    assert error.got == value
    assert isinstance(error, ValidationError)
    assert isinstance(error, ValueError)
    assert str(error).startswith("统一社会信用代码无效")
    assert "invalid unified social credit code" in str(error)
    assert not is_valid_uscc(value)
    assert not stdnum_uscc.is_valid(value)


@pytest.mark.parametrize("value", [911101006000373410, None, ["91110000600037341L"], b"911"])
def test_a_uscc_that_is_not_text_is_an_invalid_identifier(value: object) -> None:
    with pytest.raises(InvalidIdentifier) as info:
        validate_uscc(value)  # type: ignore[arg-type]
    assert info.value.field == "uscc"
    assert info.value.expected == "18 characters of text"
    assert info.value.got == value


def test_uscc_error_pickles() -> None:
    with pytest.raises(InvalidIdentifier) as info:
        validate_uscc("12345")
    copy = pickle.loads(pickle.dumps(info.value))
    assert (copy.field, copy.expected, copy.got) == ("uscc", "18 characters", "12345")


def test_uscc_letter_registration_authority_is_accepted_unlike_stdnum() -> None:
    # GB 32100 allows letters in positions 1-2 (e.g. Y for "other" authorities);
    # stdnum only accepts digits there.
    code = _with_uscc_check("Y1120101MA05KLMN3")
    assert is_valid_uscc(code)
    assert not stdnum_uscc.is_valid(code)


@pytest.mark.parametrize("body", ["12345", "9111000060003734I", "91110000600037341L"])
def test_uscc_check_character_rejects_bad_bodies(body: str) -> None:
    with pytest.raises(InvalidIdentifier) as info:
        uscc_check_character(body)
    assert info.value.field == "uscc"
    assert info.value.got == body


def test_uscc_check_character_wraps_31_to_zero() -> None:
    # A body whose weighted sum is a multiple of 31 has check character '0', not 31.
    assert uscc_check_character("0" * 17) == "0"
    assert validate_uscc("0" * 18) == "0" * 18
    assert stdnum_uscc.is_valid("0" * 18)


@given(uscc_bodies_numeric_head)
def test_uscc_with_computed_check_is_valid_and_agrees_with_stdnum(body: str) -> None:
    code = _with_uscc_check(body)
    assert is_valid_uscc(code)
    assert stdnum_uscc.is_valid(code)
    assert stdnum_uscc.calc_check_digit(body) == code[17]


@given(st.text(_any_char, min_size=16, max_size=20), st.booleans())
@example("91110000600037341N", False)
@example("A1110000600037341L", False)
def test_uscc_verdict_equals_stdnum(text: str, fix_check: bool) -> None:
    value = text
    compact = compact_uscc(text)
    if fix_check and len(compact) == 18 and all(c in USCC_ALPHABET for c in compact[:17]):
        value = compact[:17] + uscc_check_character(compact[:17])
    head = compact_uscc(value)[:2]
    ours = is_valid_uscc(value)
    theirs = stdnum_uscc.is_valid(value)
    if head.isdigit():
        assert ours == theirs
    else:
        # Only a letter in positions 1-2 may separate the verdicts, and only towards ours.
        assert theirs is False
        assert _stdnum_uscc_raises(value)


@given(uscc_bodies, st.integers(0, 17), _uscc_char)
def test_uscc_single_substitution_is_detected(body: str, position: int, char: str) -> None:
    code = _with_uscc_check(body)
    assume(code[position] != char)
    changed = code[:position] + char + code[position + 1 :]
    assert not is_valid_uscc(changed)


def test_organisation_code_check_character_vectors() -> None:
    # 60003734 → sum 109, 109 % 11 = 10, check 1 (GB 11714).
    assert organisation_code_check_character("60003734") == "1"
    assert organisation_code_check_character("00000000") == "0"
    # 00000001 → sum 2, check 11 - 2 = 9.
    assert organisation_code_check_character("00000001") == "9"
    checks = {organisation_code_check_character(f"{n:08d}") for n in range(200)}
    assert "X" in checks


def test_organisation_code_check_character_rejects_bad_bodies() -> None:
    with pytest.raises(InvalidIdentifier) as info:
        organisation_code_check_character("6000373")
    assert info.value.field == "organisation_code"
    assert info.value.got == "6000373"
    with pytest.raises(InvalidIdentifier):
        organisation_code_check_character("6000373*")


def test_has_valid_organisation_code_is_advisory() -> None:
    body = "91120101" + "60003734" + "2"  # wrong GB 11714 character at position 17
    code = _with_uscc_check(body)
    assert is_valid_uscc(code)
    assert stdnum_uscc.is_valid(code)
    assert not has_valid_organisation_code(code)
    assert not has_valid_organisation_code("12345")


# --------------------------------------------------------------------------- resident id


@pytest.mark.parametrize("number", STDNUM_RIC)
def test_stdnum_resident_ids_are_valid(number: str) -> None:
    assert validate_resident_id(number, today=TODAY) == number
    assert is_valid_resident_id(number.lower())
    assert stdnum_ric.is_valid(number)
    assert resident_id_check_character(number[:17]) == number[17]


def test_resident_id_birth_date() -> None:
    assert resident_id_birth_date("360426199101010071") == datetime.date(1991, 1, 1)
    assert resident_id_birth_date("44011320141005001x") == datetime.date(2014, 10, 5)
    assert resident_id_birth_date("12010119900101") == datetime.date(1990, 1, 1)


@pytest.mark.parametrize("value", ["360426199113010079", "3604261991", "36042619A1010100"])
def test_resident_id_birth_date_rejects_non_dates(value: str) -> None:
    with pytest.raises(InvalidIdentifier) as info:
        resident_id_birth_date(value)
    assert info.value.field == "resident_id"
    assert info.value.got == value
    assert info.value.expected == "an existing birth date YYYYMMDD at positions 7-14"


def test_compact_resident_id() -> None:
    assert compact_resident_id(" 440113-20141005 001x ") == "44011320141005001X"


def test_check_character_x() -> None:
    assert resident_id_check_character("12010119900101005") == "X"
    assert is_valid_resident_id("12010119900101005X", today=TODAY)
    assert is_valid_resident_id("12010119900101005x", today=TODAY)
    assert stdnum_ric.is_valid("12010119900101005X")


@pytest.mark.parametrize("body", ["1201011990010100", "1201011990010100X", "120101199001010051"])
def test_resident_id_check_character_rejects_bad_bodies(body: str) -> None:
    with pytest.raises(InvalidIdentifier) as info:
        resident_id_check_character(body)
    assert info.value.field == "resident_id"
    assert info.value.expected == "17 digits"


def _invalid_ric_cases() -> list[tuple[str, str]]:
    future = _with_ric_check("120101" + "20240602" + "123")
    return [
        ("12010119900101123", "18 characters"),
        ("1201011990010112345", "18 characters"),
        ("T60426199101010078", "17 digits followed by a digit or 'X'"),
        ("36042619910101007A", "17 digits followed by a digit or 'X'"),
        ("36042619910102009X", "check character '3'"),
        (_with_ric_check("990426199112010074"[:17]), "a region code starting with a province code"),
        (_with_ric_check("36042619911301007"), "an existing birth date YYYYMMDD at positions 7-14"),
        (future, "a birth date not after 2024-06-01"),
    ]


@pytest.mark.parametrize(("value", "expected"), _invalid_ric_cases())
def test_invalid_resident_id_error_fields(value: str, expected: str) -> None:
    with pytest.raises(InvalidIdentifier) as info:
        validate_resident_id(value, today=TODAY)
    error = info.value
    assert error.field == "resident_id"
    assert error.expected == expected
    assert error.got == value
    assert str(error).startswith("公民身份号码无效")
    assert "invalid resident identity number" in str(error)
    assert not is_valid_resident_id(value, today=TODAY)


def test_resident_id_error_message_does_not_show_the_birth_date() -> None:
    value = "36042619910102009X"
    with pytest.raises(InvalidIdentifier) as info:
        validate_resident_id(value)
    assert "19910102" not in str(info.value)
    assert info.value.got == value


def test_future_birth_date_differs_from_stdnum() -> None:
    # stdnum accepts any existing date; a birth date after today is rejected here.
    number = _with_ric_check("120101" + "20240602" + "123")
    assert stdnum_ric.is_valid(number)
    assert not is_valid_resident_id(number, today=datetime.date(2024, 6, 1))
    assert is_valid_resident_id(number, today=datetime.date(2024, 6, 2))


def test_today_defaults_to_the_current_date() -> None:
    tomorrow = datetime.date.today() + datetime.timedelta(days=1)
    future = _with_ric_check("120101" + tomorrow.strftime("%Y%m%d") + "123")
    assert not is_valid_resident_id(future)
    assert is_valid_resident_id("360426199101010071")


def test_stdnum_region_table_is_stricter() -> None:
    # 120116 (滨海新区) exists since 2009; stdnum rejects it for earlier birth years,
    # although a number keeps the code of the place where it was issued.
    number = _with_ric_check("120116" + "19800101" + "123")
    assert is_valid_resident_id(number)
    assert not stdnum_ric.is_valid(number)


@given(ric_bodies)
def test_resident_id_with_computed_check_is_valid(body: str) -> None:
    number = _with_ric_check(body)
    assert is_valid_resident_id(number)
    assert stdnum_ric.calc_check_digit(number) == number[17]
    assert _stdnum_ric_is_valid(number) or _stdnum_birth_place_rejected(number)


@given(
    st.text(_digit, min_size=6, max_size=6),
    st.one_of(
        st.dates(max_value=datetime.date(2023, 12, 31)).map(lambda d: d.strftime("%Y%m%d")),
        st.text(_digit, min_size=8, max_size=8),
    ),
    st.text(_digit, min_size=3, max_size=3),
    st.one_of(st.none(), st.sampled_from("0123456789Xx")),
)
def test_resident_id_verdict_equals_stdnum(
    region: str, born: str, seq: str, check: str | None
) -> None:
    body = region + born + seq
    assume(len(body) == 17)
    number = body + (resident_id_check_character(body) if check is None else check)
    ours = is_valid_resident_id(number, today=FAR_FUTURE)
    theirs = _stdnum_ric_is_valid(number)
    if theirs:
        assert ours
    elif ours:
        # stdnum's county table is the only thing that may reject what is accepted here.
        assert _stdnum_birth_place_rejected(number)


@given(st.text(st.sampled_from("0123456789Xx -"), min_size=16, max_size=20))
def test_resident_id_random_strings_agree_on_checksum(text: str) -> None:
    code = compact_resident_id(text)
    ours = is_valid_resident_id(code, today=FAR_FUTURE)
    theirs = _stdnum_ric_is_valid(code)
    if theirs:
        assert ours
    elif ours:
        assert _stdnum_birth_place_rejected(code)
    if len(code) == 18 and code[:17].isdigit() and code[17] in "0123456789X":
        assert (resident_id_check_character(code[:17]) == code[17]) == (
            stdnum_ric.calc_check_digit(code) == code[17]
        )


@given(ric_bodies, st.integers(0, 17), _digit)
def test_resident_id_single_substitution_is_detected(body: str, position: int, d: str) -> None:
    number = _with_ric_check(body)
    changed = number[:position] + d + number[position + 1 :]
    assume(changed != number)
    assert not is_valid_resident_id(changed, today=FAR_FUTURE)


# --------------------------------------------------------------------------- masking


def test_mask_resident_id_examples() -> None:
    assert mask_resident_id("120101199001011239") == "1201**********1239"
    assert mask_resident_id("120101 19900101 123x") == "1201**********123X"
    assert mask_resident_id("120101900101123") == "1201********123"
    assert mask_resident_id("12010119900101") == "**************"
    assert mask_resident_id("") == ""


@given(ric_bodies)
def test_mask_resident_id_hides_birth_date(body: str) -> None:
    number = _with_ric_check(body)
    masked = mask_resident_id(number)
    assert len(masked) == 18
    assert masked[4:14] == "*" * 10
    assert masked[:4] == number[:4]
    assert masked[-4:] == number[-4:]
    assert number[6:14] not in masked
    assert not looks_like_resident_id(masked)
    assert find_unmasked_personal_data(f"检查人员身份证号：{masked}") == []


@given(st.text())
def test_mask_resident_id_never_fails_and_reveals_at_most_8(text: str) -> None:
    masked = mask_resident_id(text)
    code = compact_resident_id(text)
    assert len(masked) == len(code)
    revealed = [c for c in masked if c != "*"]
    assert len(revealed) <= 8
    if len(code) not in (15, 18):
        assert revealed == []


def test_mask_phone_examples() -> None:
    assert mask_phone("13800138000") == "138****8000"
    assert mask_phone("+86 138-0013-8000") == "138****8000"
    assert mask_phone("8613800138000") == "138****8000"
    assert mask_phone("１３８００１３８０００") == "138****8000"
    assert mask_phone("022-2345 6789") == "***-**** 6789"
    assert mask_phone("(022) 23456789") == "(***) ****6789"
    assert mask_phone("12333") == "*****"
    assert mask_phone("138 0013 8000 转 12") == "*** **** **00 转 12"
    assert mask_phone("无") == "无"
    assert mask_phone("") == ""


def _digits(text: str) -> str:
    return "".join(c for c in text if c.isdecimal())


@given(st.text())
@example("13800138000")
@example("022-23456789")
def test_mask_phone_reveals_at_most_four_digits_unless_mobile(text: str) -> None:
    masked = mask_phone(text)
    shown = _digits(masked)
    if len(shown) > 4:
        # Only the mobile form may show more: carrier segment and last four.
        assert len(masked) == 11
        assert masked[3:7] == "****"
        assert len(shown) == 7
    else:
        assert len(masked) == len(text)
        assert len(_digits(text)) - len(shown) >= len(shown)


@given(st.sampled_from("3456789"), st.text(_digit, min_size=9, max_size=9), st.booleans())
def test_mask_phone_mobile_property(second: str, rest: str, spaced: bool) -> None:
    number = "1" + second + rest
    written = f"{number[:3]} {number[3:7]} {number[7:]}" if spaced else number
    masked = mask_phone(written)
    assert masked == f"{number[:3]}****{number[7:]}"
    assert looks_like_phone(f"联系电话：{written}。")
    assert not looks_like_phone(masked)
    assert find_unmasked_personal_data(f"联系电话：{masked}") == []


# --------------------------------------------------------------------------- detection


def test_find_unmasked_personal_data_in_text() -> None:
    text = (
        "检查组：张三（身份证 120101199001011239，电话 13800138000），"
        "李四（身份证 1201**********1239，电话 138****8000），"
        "举报电话 022-23456789，订单号 1201011990010112391。"
    )
    assert find_unmasked_personal_data(text) == ["120101199001011239", "13800138000"]
    assert looks_like_resident_id(text)
    assert looks_like_phone(text)


def test_detection_variants() -> None:
    assert looks_like_resident_id("ID:120101-19900101-1239.")
    assert looks_like_resident_id("１２０１０１１９９００１０１１２３９")
    assert looks_like_resident_id("12010119900101005x")
    assert looks_like_resident_id("１２０１０１１９９００１０１００５Ｘ")
    assert not looks_like_resident_id("120101199001011230")  # wrong check character
    assert not looks_like_resident_id(_with_ric_check("12010119901301123"))  # no such date
    assert looks_like_phone("+86 138-0013-8000")
    assert not looks_like_phone("12345678901")  # 12x is not a mobile segment
    assert not looks_like_phone("022-23456789")
    assert not looks_like_phone("订单 913800138000")


def test_phone_inside_an_identity_number_is_reported_once() -> None:
    # "19900101005" inside the grouped number also has the shape of a mobile number.
    text = "身份证 120101 19900101005X 已登记"
    # Its digits belong to the identity number: not a phone number as well.
    assert not looks_like_phone(text)
    assert find_unmasked_personal_data(text) == ["120101 19900101005X"]


@given(ric_bodies, st.sampled_from("3456789"), st.text(_digit, min_size=9, max_size=9))
def test_detection_finds_what_masking_removes(body: str, second: str, rest: str) -> None:
    number = _with_ric_check(body)
    assume(not is_valid_uscc(number))  # a valid USCC is never personal data
    phone = "1" + second + rest
    text = f"姓名：王五；身份证号：{number}；手机：{phone}。"
    assert find_unmasked_personal_data(text) == [number, phone]
    published = f"姓名：王五；身份证号：{mask_resident_id(number)}；手机：{mask_phone(phone)}。"
    assert find_unmasked_personal_data(published) == []


# ------------------------------------------------------- personal data, read right (R-PUBLIC)


def test_a_valid_uscc_is_never_taken_for_an_identity_number() -> None:
    # Passes MOD 11-2 and holds a "date" at positions 7-14, but is a valid USCC whose region
    # "91" is no province: a lawful results publication names enterprises by their USCC.
    code = "911201011010101873"
    assert is_valid_uscc(code)
    text = f"抽查对象 {code} 未发现违法行为"
    assert find_unmasked_personal_data(text) == []
    assert mask_personal_data(text) == text


@pytest.mark.parametrize(
    "spelled",
    [
        "120101 1990 0307 0021",  # 6-4-4-4
        "120101－19900307－0021",  # full-width hyphens of a Chinese input method
        "１２０１０１１９９００３０７００２１",  # full-width digits
        "120101900307002",  # a 15-digit old number (GB 11643-1989)
        "138.1234.5678",
        "138－1234－5678",
        "+86 138 1234 5678",
        "0086-13812345678",
        "＋８６１３８１２３４５６７８",
    ],
)
def test_every_common_spelling_of_personal_data_is_found_and_masked(spelled: str) -> None:
    text = f"联系人：{spelled}。"
    assert find_unmasked_personal_data(text) == [spelled]
    masked = mask_personal_data(text)
    assert find_unmasked_personal_data(masked) == []
    assert "*" in masked


@pytest.mark.parametrize(
    "not_personal",
    [
        "120101 1890 0307 002X",  # born before 1900: not plausible
        "990101199003070021",  # no province 99
        "120101199013070021",  # month 13
        "120101991307002",  # 15 digits, month 13
    ],
)
def test_numbers_without_a_province_or_a_plausible_birth_date_are_not_ids(
    not_personal: str,
) -> None:
    assert not looks_like_resident_id(not_personal)


@given(st.one_of(usccs(), ric_bodies.map(_with_ric_check).filter(is_valid_uscc)))
def test_no_valid_uscc_is_ever_reported_as_personal_data(code: str) -> None:
    assert is_valid_uscc(code)
    text = f"企业 {code}，电话 022-23456789"
    assert find_unmasked_personal_data(text) == []
    assert mask_personal_data(text) == text


def _calls(function: Callable[[str], object], text: str) -> int:
    """The function calls, Python and C, that ``function(text)`` makes."""
    count = 0

    def profile(frame: object, event: str, arg: object) -> None:
        nonlocal count
        if event in ("call", "c_call"):
            count += 1

    sys.setprofile(profile)
    try:
        function(text)
    finally:
        sys.setprofile(None)
    return count


def test_detection_and_masking_work_linearly_in_the_text() -> None:
    # Count the work, not the seconds: doubling a text of identity and mobile numbers at most
    # doubles the calls (a quadratic scan would quadruple the work of its inner loop).
    unit = "联系人 13812345678，身份证 120101199003070021；"
    small, large = unit * 500, unit * 1000
    for function in (find_unmasked_personal_data, mask_personal_data):
        ratio = _calls(function, large) / _calls(function, small)
        assert ratio < 2.2, (function.__name__, ratio)


# --------------------------------------------------------------------------- Tianjin


def test_tianjin_districts_agree_with_gb_t_2260() -> None:
    districts = TIANJIN_HRSS.districts
    assert len(districts) == 16
    codes = [d.code for d in districts]
    assert codes == sorted(set(codes))
    assert all(code.startswith("1201") and len(code) == 6 for code in codes)
    names = {d.code: d.name for d in districts}
    assert names["120116"] == "滨海新区"
    assert names["120119"] == "蓟州区"
    # Cross-check against stdnum's table of counties (GB/T 2260 via Wikipedia).
    for district in districts:
        number = _with_ric_check(district.code + "20200101" + "123")
        assert stdnum_ric.get_birth_place(number)["county"] == district.name
        assert district.en.isascii()
        assert district.en


def test_the_deprecated_tianjin_districts_warn_and_keep_their_shape() -> None:
    assert "TIANJIN_DISTRICTS" not in randcheck.ids.__all__
    with pytest.warns(DeprecationWarning, match=r"randcheck\.profiles\.TIANJIN_HRSS\.districts"):
        old = randcheck.ids.TIANJIN_DISTRICTS
    assert old == tuple((d.code, d.name, d.en) for d in TIANJIN_HRSS.districts)
    with pytest.warns(DeprecationWarning, match="TIANJIN_DISTRICTS"):
        from randcheck.ids import TIANJIN_DISTRICTS
    assert old == TIANJIN_DISTRICTS
    with pytest.raises(AttributeError, match="NO_SUCH_NAME"):
        assert randcheck.ids.NO_SUCH_NAME is None


def test_the_identifier_package_does_not_import_the_profiles() -> None:
    # The profiles import the domain, which imports randcheck.ids: ids must not import them
    # back while it is being imported.
    tree = ast.parse(Path(randcheck.ids.__file__).read_text(encoding="utf-8"))
    imported = [
        name
        for node in tree.body
        for name in (
            [node.module or ""]
            if isinstance(node, ast.ImportFrom)
            else [alias.name for alias in node.names]
            if isinstance(node, ast.Import)
            else []
        )
    ]
    assert "randcheck.ids._normalise" in imported
    assert not [name for name in imported if name.startswith("randcheck.profiles")]


_NUMBER_PIECES = st.sampled_from(
    [
        "13812345678",
        "138-1234-5678",
        "138.1234.5678",
        "１３８１２３４５６７８",
        "+86",
        "0086",
        "110105199003071234",
        "11010519900307123X",
        "110105900307123",
        "91120101MA05M8XX3Q",
        " ",
        "-",
        "－",
        ".",
        "·",
        "\u3000",
        "9",
        "X",
        "号",
        "a",
        "1201",
        "19900307",
        "2027-04-05",
    ]
)


@given(st.lists(_NUMBER_PIECES, max_size=12).map("".join))
@example("138 1234 5678")
@example("1３8-1234-5678")
@example("+86 138 1234 5678")
@example("0086-13812345678号")
@example("110105·19900307·123X")
@example("电话022-2345 6789")
@example("１３８１２３４５６７８")
@example("1 3 8 1 2 3 4 5 6 7 8")
@example("110105 900307 123")
@example("身份证 110105-1990-0307-123X 电话 13812345678")
def test_a_text_without_a_long_run_of_digits_is_passed_over_without_missing_a_number(
    text: str,
) -> None:
    from randcheck import privacy

    usccs = privacy._uscc_spans(text)
    ids = privacy._outside(privacy._resident_id_spans(text), usccs)
    phones = privacy._outside(
        [m.span() for m in privacy._PHONE_CANDIDATE_RE.finditer(text)], [*usccs, *ids]
    )
    full = sorted(
        [("id", a, b) for a, b in ids] + [("phone", a, b) for a, b in phones],
        key=lambda x: x[1],
    )
    assert privacy._personal_spans(text) == full
