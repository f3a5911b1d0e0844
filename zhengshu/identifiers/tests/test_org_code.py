"""组织机构代码 (GB 11714). Reference: shared/reference/data-governance.md §2.1."""

from __future__ import annotations

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from .. import uscc
from ..org_code import VALUES, make_check_char, validate_org_code

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
CHECK_CHARS = "0123456789X"

# §2.1 "Verified examples": every listed code passes the inner GB 11714 check, so its
# positions 9–17 are published valid 组织机构代码 (pilot codes included).
PUBLISHED_USCC = [
    "91110000600037341L", "91350200776049653A", "91350500798359476R", "123502001549897397",
    "913502115628130384", "9135021359498494XQ", "91350213678251743X", "91350200MA2YJ1XR9G",
    "91440101MA5CJQ4N59", "91350503MA31DKY80A", "91350203M0001QAY9B", "91350100M0001TGQXM",
    "91350211M0000XUF46", "91350203M0001FUE2P", "91110000600037341X",
]
PUBLISHED_ORG_CODES = [code[8:17] for code in PUBLISHED_USCC]

bodies = st.text(alphabet=ALPHABET, min_size=8, max_size=8)


def oracle_valid(code9: str) -> bool:
    """GB 11714 restated: (Σ value·weight + check value) ≡ 0 (mod 11), X = 10, 0 ≡ 11."""
    total = sum(ALPHABET.index(c) * w for c, w in zip(code9, (3, 7, 9, 10, 5, 8, 4, 2)))
    return (total + CHECK_CHARS.index(code9[8])) % 11 == 0


@pytest.mark.parametrize("code", PUBLISHED_ORG_CODES)
def test_it_accepts_the_org_codes_inside_published_usccs(code: str) -> None:
    plain = validate_org_code(code)
    hyphenated = validate_org_code(f"{code[:8]}-{code[8]}")
    assert plain.valid, plain.reason
    assert hyphenated.valid, hyphenated.reason
    assert plain.parts["formatted"] == hyphenated.parts["formatted"] == f"{code[:8]}-{code[8]}"
    assert plain.parts["body"] == code[:8] and plain.parts["check_char"] == code[8]


def test_it_needs_full_alphabet_letter_values() -> None:
    # §2.1 [M]: the …MA… codes pass with A=10…Z=35 and fail with the 31-character USCC table.
    ma_codes = [c for c in PUBLISHED_ORG_CODES if c.startswith("MA")]
    assert len(ma_codes) == 3
    for code in ma_codes:
        wrong = 11 - sum(uscc.VALUES[c] * w for c, w in zip(code, (3, 7, 9, 10, 5, 8, 4, 2))) % 11
        wrong_char = {10: "X", 11: "0"}.get(wrong, str(wrong))
        assert make_check_char(code[:8]) == code[8] != wrong_char


def test_it_reports_a_wrong_check_char_with_the_expected_one() -> None:
    result = validate_org_code("60003734-2")
    assert not result.valid
    assert result.reason == "第9位校验码应为 1，实际为 2"


@pytest.mark.parametrize(
    ("code", "fragment"),
    [
        ("6000373", "应为9位"),
        ("600037341-", "应为9位"),
        ("600037341L", "应为9位"),
        ("6000*7341", "第5位字符 '*' 无效"),
        ("60003734Y", "第9位校验码 'Y' 无效"),
    ],
)
def test_it_rejects_malformed_codes(code: str, fragment: str) -> None:
    result = validate_org_code(code)
    assert not result.valid
    assert fragment in result.reason


def test_it_accepts_lower_case_with_a_warning() -> None:
    result = validate_org_code("ma2yj1xr9")
    assert result.valid
    assert result.parts["warnings"] == ["已将小写字母转为大写"]


def test_it_refuses_to_make_a_check_char_for_a_bad_body() -> None:
    for body in ("1234567", "1234567*", "123456789"):
        with pytest.raises(ValueError):
            make_check_char(body)


@given(bodies)
def test_it_accepts_every_body_with_its_computed_check_char(body: str) -> None:
    code = body + make_check_char(body)
    assert oracle_valid(code)
    assert validate_org_code(code).valid


@given(bodies, st.sampled_from(CHECK_CHARS))
def test_it_agrees_with_the_restated_rule_for_any_check_char(body: str, check: str) -> None:
    assert validate_org_code(body + check).valid is oracle_valid(body + check)


@given(bodies, st.integers(0, 7), st.sampled_from(ALPHABET))
def test_it_detects_a_substitution_unless_values_differ_by_a_multiple_of_11(body: str, pos: int, new: str) -> None:
    # MOD 11 with weights coprime to 11: a body substitution goes unnoticed exactly when the two
    # values differ by 11, 22 or 33 (e.g. 0 ↔ B, A ↔ L). Digit-for-digit changes are always caught.
    assume(new != body[pos])
    code = body + make_check_char(body)
    mutated = code[:pos] + new + code[pos + 1 :]
    undetectable = (VALUES[new] - VALUES[body[pos]]) % 11 == 0
    assert validate_org_code(mutated).valid is undetectable
    if new.isdigit() and body[pos].isdigit():
        assert not undetectable


def test_it_misses_letter_substitutions_eleven_apart() -> None:
    body = "MA2YJ1XR"
    code = body + make_check_char(body)
    assert validate_org_code(code.replace("A", "L", 1)).valid  # A=10, L=21: the known blind spot


@given(bodies, st.sampled_from(CHECK_CHARS))
def test_it_detects_every_wrong_check_char(body: str, check: str) -> None:
    assume(check != make_check_char(body))
    result = validate_org_code(body + check)
    assert not result.valid
    assert result.reason.startswith("第9位校验码应为")


@settings(max_examples=300)
@given(bodies, st.integers(0, 6))
def test_it_detects_adjacent_body_transpositions_unless_values_differ_by_11k(body: str, pos: int) -> None:
    # Adjacent weight differences (4 2 1 -5 3 -4 -2) are non-zero mod 11, so a swap of a and b is
    # caught exactly when a - b is not a multiple of 11.
    a, b = body[pos], body[pos + 1]
    assume(a != b)
    code = body + make_check_char(body)
    swapped = code[:pos] + b + a + code[pos + 2 :]
    assert validate_org_code(swapped).valid is ((VALUES[a] - VALUES[b]) % 11 == 0)
