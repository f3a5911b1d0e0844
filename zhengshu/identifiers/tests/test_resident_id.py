"""居民身份证号码 (GB 11643). Reference: shared/reference/data-governance.md §2.2."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from .. import divisions
from ..resident_id import PERMIT_CODES, WEIGHTS, make_check_char, upgrade_legacy, validate_resident_id

DIGITS = "0123456789"
OUTER_ERROR = "第18位校验码应为"
ADDRESS_CODES = sorted(divisions.known_codes() | set(PERMIT_CODES))

# §2.2 "Published valid examples" (all verified [M] in the reference).
PUBLISHED_VALID = {
    "11010519491231002X": ("北京市朝阳区", "1949-12-31", "女", "居民身份证"),  # GB 11643 worked example
    "440524188001010014": ("广东省汕头市潮阳县", "1880-01-01", "男", "居民身份证"),  # idem; 440524 abolished 1993
    "360426199101010071": ("江西省九江市德安县", "1991-01-01", "男", "居民身份证"),  # python-stdnum ric doctest
    "810000199408230021": ("香港特别行政区", "1994-08-23", "女", "港澳台居民居住证"),  # Beijing PSB sample
    "830000199201300022": ("台湾地区", "1992-01-30", "女", "港澳台居民居住证"),  # Beijing PSB sample
}
# §2.2 "Invalid controls".
PUBLISHED_INVALID = {
    "11010519491231002Y": "第18位校验码应为 X，实际为 Y",
    "110105194912310021": "第18位校验码应为 X，实际为 1",
}


@st.composite
def valid_ids(draw: st.DrawFn) -> str:
    """Known address code, real birth date, random sequence, computed check character."""
    address = draw(st.sampled_from(ADDRESS_CODES))
    born = draw(st.dates(min_value=dt.date(1850, 1, 1), max_value=dt.date.today()))
    sequence = draw(st.text(alphabet=DIGITS, min_size=3, max_size=3))
    first17 = address + born.strftime("%Y%m%d") + sequence
    return first17 + make_check_char(first17)


def oracle_valid(code: str) -> bool:
    """ISO 7064 MOD 11-2 as the standard states it: Σ a_i·2^(18-i) over all 18 ≡ 1 (mod 11), X = 10."""
    values = [10 if c == "X" else int(c) for c in code]
    return sum(a * 2 ** (17 - i) for i, a in enumerate(values)) % 11 == 1


def with_check(first17: str) -> str:
    return first17 + make_check_char(first17)


def test_it_uses_the_weights_listed_in_the_reference() -> None:
    assert WEIGHTS == (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


@pytest.mark.parametrize(("code", "expected"), PUBLISHED_VALID.items())
def test_it_accepts_and_decodes_published_valid_numbers(code: str, expected: tuple[str, str, str, str]) -> None:
    assert oracle_valid(code)
    result = validate_resident_id(code)
    assert result.valid, result.reason
    parts = result.parts
    assert (parts["address_name"], parts["birth_date"], parts["sex"], parts["document"]) == expected
    assert (parts["address_code"], parts["sequence"], parts["check_char"]) == (code[:6], code[14:17], code[17])
    assert parts["warnings"] == []


@pytest.mark.parametrize(("code", "reason"), PUBLISHED_INVALID.items())
def test_it_rejects_published_invalid_controls(code: str, reason: str) -> None:
    result = validate_resident_id(code)
    assert not result.valid
    assert result.reason == reason


def test_it_accepts_an_address_code_abolished_long_ago() -> None:
    # §2.2: 440524 潮阳县 was abolished in 1993, yet the standard's own example uses it.
    assert not divisions.is_current("440524")
    assert validate_resident_id("440524188001010014").valid


@pytest.mark.parametrize(
    ("first17", "reason"),
    [
        ("11010519990231002", "出生日期 19990231 不存在"),
        ("11010519991301002", "出生日期 19991301 不存在"),
        ("11010518491231002", "出生日期 18491231 早于1850年"),
        ("99999919491231002", "地址码 999999 不是1981年以来使用过的行政区划代码（首位为9，可能是外国人永久居留身份证，本模块不校验）"),
        ("11000019491231002", None),
    ],
)
def test_it_explains_what_is_wrong_in_the_body(first17: str, reason: str | None) -> None:
    result = validate_resident_id(with_check(first17))
    assert result.valid is (reason is None)
    if reason is not None:
        assert result.reason == reason


def test_it_rejects_a_birth_date_in_the_future() -> None:
    tomorrow = (dt.date.today() + dt.timedelta(days=1)).strftime("%Y%m%d")
    result = validate_resident_id(with_check("110105" + tomorrow + "002"))
    assert not result.valid
    assert result.reason == f"出生日期 {tomorrow} 晚于今天"


def test_it_reports_every_problem_at_once() -> None:
    result = validate_resident_id("99999919990231002X")
    assert not result.valid
    assert "地址码 999999" in result.reason and "出生日期 19990231 不存在" in result.reason
    assert OUTER_ERROR in result.reason


def test_it_warns_about_sequence_000() -> None:
    result = validate_resident_id(with_check("11010519491231000"))
    assert result.valid
    assert result.parts["warnings"] == ["顺序码 000 可疑"]


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        ("110105********002X", "第7-14位应为数字，实际为“********”；号码含 *，可能是脱敏后的号码，无法校验"),
        ("1101051949123100", "居民身份证号码应为18位（旧号码15位），实际为16位"),
    ],
)
def test_it_rejects_malformed_numbers(code: str, reason: str) -> None:
    result = validate_resident_id(code)
    assert not result.valid
    assert result.reason == reason


def test_it_decodes_a_legacy_15_digit_number() -> None:
    # §2.2: legacy = address + YYMMDD + sequence; upgrading inserts 19 and appends the check.
    result = validate_resident_id("110105491231002")
    assert result.valid
    assert result.parts["upgraded"] == "11010519491231002X"  # = the standard's 18-digit example
    assert result.parts["birth_date"] == "1949-12-31" and result.parts["legacy"] is True
    assert result.parts["check_char"] is None
    assert result.parts["warnings"][0].startswith("15位旧号码（GB 11643-1989）无校验码")


def test_it_rejects_a_legacy_number_with_a_bad_date_or_address() -> None:
    result = validate_resident_id("999999490231002")
    assert not result.valid
    assert result.reason.startswith("地址码 999999 不是1981年以来使用过的行政区划代码")
    assert "出生日期 19490231 不存在" in result.reason


def test_it_refuses_bad_input_to_helpers() -> None:
    for bad in ("1101051949123100", "1101051949123100X"):
        with pytest.raises(ValueError):
            make_check_char(bad)
    with pytest.raises(ValueError):
        upgrade_legacy("11010549123100")


@given(valid_ids())
def test_it_accepts_generated_numbers(code: str) -> None:
    assert oracle_valid(code)
    result = validate_resident_id(code)
    assert result.valid, result.reason


@given(valid_ids(), st.integers(0, 17), st.sampled_from(DIGITS + "X"))
def test_it_detects_every_single_substitution(code: str, pos: int, new: str) -> None:
    # Weights 2^k mod 11 are non-zero and 11 is prime: any single change of a value 0–10 is caught.
    assume(new != code[pos] and (pos == 17 or new != "X"))
    mutated = code[:pos] + new + code[pos + 1 :]
    result = validate_resident_id(mutated)
    assert not result.valid
    assert OUTER_ERROR in result.reason


@settings(max_examples=300)
@given(valid_ids(), st.integers(0, 16))
def test_it_detects_every_adjacent_transposition(code: str, pos: int) -> None:
    # Swap at i, i+1 changes the sum by (a-b)·w_i+1·(2-1); |a-b| ≤ 10 < 11, so never ≡ 0 (mod 11).
    a, b = code[pos], code[pos + 1]
    assume(a != b)
    swapped = code[:pos] + b + a + code[pos + 2 :]
    result = validate_resident_id(swapped)
    assert not result.valid
    if "X" not in swapped[:17]:
        assert OUTER_ERROR in result.reason
