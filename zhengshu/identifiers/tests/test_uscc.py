"""统一社会信用代码 (GB 32100-2015). Reference: shared/reference/data-governance.md §2.1."""

from __future__ import annotations

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from .. import divisions, org_code
from ..uscc import ALPHABET, PILOT_CODES, WEIGHTS, make_check_char, passes_checks, validate_uscc

# §2.1 "Verified examples" table: pass both the MOD-31 and the inner GB 11714 check.
PUBLISHED_VALID = [
    "91110000600037341L",  # python-stdnum doctest
    # list in 02020/vite validateSocialCreditCode.js
    "91350200776049653A", "91350500798359476R", "123502001549897397", "913502115628130384",
    "9135021359498494XQ", "91350213678251743X", "91350200MA2YJ1XR9G", "91440101MA5CJQ4N59",
    "91350503MA31DKY80A",
]
# §2.1 "Known exceptions": genuine pilot codes, MOD-31 ✗, inner GB 11714 ✓.
PUBLISHED_PILOT = ["91350203M0001QAY9B", "91350100M0001TGQXM", "91350211M0000XUF46", "91350203M0001FUE2P"]
# §2.1 table, last row: mutated from the stdnum example; MOD-31 ✗, inner ✓.
PUBLISHED_INVALID = {"91110000600037341X": "第18位校验码应为 L，实际为 X"}

OUTER_ERROR = "第18位校验码应为"
DIVISION_CODES = sorted(divisions.known_codes())


@st.composite
def valid_usccs(draw: st.DrawFn) -> str:
    """Random department, category, division and org body; both check characters computed."""
    head = draw(st.text(alphabet=ALPHABET, min_size=2, max_size=2))
    division = draw(st.sampled_from(DIVISION_CODES) | st.text(alphabet="0123456789", min_size=6, max_size=6))
    body = draw(st.text(alphabet=ALPHABET, min_size=8, max_size=8))
    first17 = head + division + body + org_code.make_check_char(body)
    return first17 + make_check_char(first17)


def oracle_valid(code: str) -> bool:
    """GB 32100 restated: Σ value·3^(i-1) over 17 characters + value(C18) ≡ 0 (mod 31)."""
    return (sum(ALPHABET.index(c) * 3**i for i, c in enumerate(code[:17])) + ALPHABET.index(code[17])) % 31 == 0


def test_it_uses_the_weights_listed_in_the_reference() -> None:
    assert WEIGHTS == (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
    assert len(ALPHABET) == 31 and not set("IOSVZ") & set(ALPHABET)


@pytest.mark.parametrize("code", PUBLISHED_VALID)
def test_it_accepts_published_valid_codes(code: str) -> None:
    result = validate_uscc(code)
    assert result.valid, result.reason
    assert make_check_char(code[:17]) == code[17]
    assert result.parts["legacy_pilot"] is False


def test_it_decodes_the_stdnum_example() -> None:
    parts = validate_uscc("91110000600037341L").parts
    assert (parts["registration_dept_code"], parts["registration_dept_name"]) == ("9", "工商（市场监管）")
    assert (parts["category_code"], parts["category_name"]) == ("1", "企业")
    assert (parts["division_code"], parts["division_name"]) == ("110000", "北京市")
    assert (parts["org_code"], parts["check_char"]) == ("600037341", "L")
    assert parts["warnings"] == []


def test_it_decodes_an_institution_code() -> None:
    parts = validate_uscc("123502001549897397").parts
    assert parts["registration_dept_name"] == "机构编制" and parts["category_name"] == "事业单位"
    assert parts["division_name"] == "福建省厦门市"


@pytest.mark.parametrize("code", PUBLISHED_PILOT)
def test_it_accepts_published_pilot_codes_with_a_warning(code: str) -> None:
    assert make_check_char(code[:17]) != code[17]  # they really fail MOD-31 (§2.1 [M])
    assert not org_code.check_errors(code[8:17])  # and pass the inner check
    result = validate_uscc(code)
    assert result.valid
    assert result.parts["legacy_pilot"] is True
    assert any("试点" in w for w in result.parts["warnings"])


def test_it_knows_exactly_the_published_pilot_codes() -> None:
    assert PILOT_CODES == set(PUBLISHED_PILOT)


def test_it_rejects_a_pilot_lookalike_that_is_not_listed() -> None:
    code = "91350203M0001QAY9C"
    result = validate_uscc(code)
    assert not result.valid
    assert result.reason == "第18位校验码应为 9，实际为 C（形如福建早期试点代码，但不在已知例外清单中）"


@pytest.mark.parametrize(("code", "reason"), PUBLISHED_INVALID.items())
def test_it_rejects_published_invalid_codes(code: str, reason: str) -> None:
    result = validate_uscc(code)
    assert not result.valid
    assert result.reason == reason


def test_it_rejects_a_wrong_inner_check_even_when_the_outer_one_matches() -> None:
    first17 = "91110000600037342"  # inner check should be 1
    code = first17 + make_check_char(first17)
    result = validate_uscc(code)
    assert not result.valid
    assert result.reason == "第17位（组织机构代码）校验码应为 1，实际为 2"


def test_it_accepts_a_letter_department_code() -> None:
    # §2.1 "Library pitfall": python-stdnum wrongly demands digits in positions 1–8.
    first17 = "Y1330481600037341"
    result = validate_uscc(first17 + make_check_char(first17))
    assert result.valid, result.reason
    assert result.parts["registration_dept_name"] == "其他"
    assert result.parts["division_name"] == "浙江省嘉兴市海宁市"
    assert result.parts["warnings"] == []


@pytest.mark.parametrize(
    ("head", "warning"),
    [("21", "第1位登记管理部门码 2 不在"), ("94", "第2位机构类别码 4 不是登记管理部门“工商（市场监管）”下已知的类别")],
)
def test_it_only_warns_about_unknown_department_or_category(head: str, warning: str) -> None:
    first17 = head + "330481600037341"
    result = validate_uscc(first17 + make_check_char(first17))
    assert result.valid
    assert len(result.parts["warnings"]) == 1 and result.parts["warnings"][0].startswith(warning)
    assert result.reason.startswith("校验通过（提示：")


def test_it_only_warns_about_an_unknown_division() -> None:
    first17 = "91999999600037341"
    result = validate_uscc(first17 + make_check_char(first17))
    assert result.valid
    assert result.parts["warnings"] == ["第3-8位登记管理机关行政区划码 999999 不是1981年以来使用过的行政区划代码"]


def test_it_rejects_letters_in_the_division_part() -> None:
    first17 = "9111A000600037341"
    result = validate_uscc(first17 + make_check_char(first17))
    assert not result.valid
    assert result.reason == "第3-8位登记管理机关行政区划码应为数字，实际为“11A000”"


@pytest.mark.parametrize("letter", "IOSVZ")
def test_it_rejects_letters_outside_the_31_character_set(letter: str) -> None:
    result = validate_uscc("9111000060003734" + letter + "L")
    assert not result.valid
    assert result.reason == f"第17位字符 '{letter}' 不在统一社会信用代码字符集中（不含 I、O、S、V、Z）"


@pytest.mark.parametrize("code", ["", "91110000600037341", "91110000600037341LL"])
def test_it_rejects_wrong_lengths(code: str) -> None:
    result = validate_uscc(code)
    assert not result.valid
    assert result.reason == f"统一社会信用代码应为18位，实际为{len(code)}位"


def test_it_refuses_to_make_a_check_char_for_bad_input() -> None:
    for first17 in ("9111000060003734", "9111000060003734I"):
        with pytest.raises(ValueError):
            make_check_char(first17)


@given(valid_usccs())
def test_it_accepts_generated_codes(code: str) -> None:
    assert oracle_valid(code)
    result = validate_uscc(code)
    assert result.valid, result.reason


@given(valid_usccs(), st.sampled_from("0123456789X"))
def test_it_fast_check_agrees_with_full_validation(code: str, inner: str) -> None:
    # passes_checks is the shortcut check() uses for 18-digit strings; it must see the inner check too.
    first17 = code[:16] + inner
    variant = first17 + make_check_char(first17)
    assert passes_checks(code)
    assert passes_checks(variant) is validate_uscc(variant).valid is (inner == code[16])


@given(valid_usccs(), st.integers(0, 17), st.sampled_from(ALPHABET))
def test_it_detects_every_single_substitution(code: str, pos: int, new: str) -> None:
    # 31 is prime and every weight is non-zero mod 31, so any change of one value is caught.
    assume(new != code[pos])
    mutated = code[:pos] + new + code[pos + 1 :]
    assume(mutated not in PILOT_CODES)
    result = validate_uscc(mutated)
    assert not result.valid
    assert OUTER_ERROR in result.reason


@settings(max_examples=300)
@given(valid_usccs(), st.integers(0, 16))
def test_it_detects_every_adjacent_transposition(code: str, pos: int) -> None:
    # Swapping a ≠ b at i, i+1 changes the sum by (a-b)(w_i - w_i+1); w_i+1 = 3·w_i (and 28 vs 1 for
    # the check character), so the factor is non-zero mod 31 and the prime modulus catches it.
    a, b = code[pos], code[pos + 1]
    assume(a != b)
    swapped = code[:pos] + b + a + code[pos + 2 :]
    assume(swapped not in PILOT_CODES)
    result = validate_uscc(swapped)
    assert not result.valid
    assert OUTER_ERROR in result.reason
