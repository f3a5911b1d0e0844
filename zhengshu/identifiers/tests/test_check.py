"""check(): kind detection and the public dict; divisions; stdlib-only imports.

Examples from shared/reference/data-governance.md §2.1 (USCC), §2.2 (ID), §2.3 (divisions).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from .. import KINDS, check, divisions
from ..resident_id import make_check_char as id_check_char
from ..resident_id import validate_resident_id
from ..org_code import make_check_char as org_check_char
from ..uscc import make_check_char as uscc_check_char
from ..uscc import validate_uscc
from .test_resident_id import PUBLISHED_INVALID as ID_INVALID
from .test_resident_id import PUBLISHED_VALID as ID_VALID
from .test_uscc import PUBLISHED_INVALID as USCC_INVALID
from .test_uscc import PUBLISHED_PILOT, PUBLISHED_VALID as USCC_VALID

PACKAGE_DIR = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(
    ("code", "kind", "valid"),
    [(c, "uscc", True) for c in USCC_VALID + PUBLISHED_PILOT]
    + [(c, "uscc", False) for c in USCC_INVALID]
    + [(c, "resident_id", True) for c in ID_VALID]
    + [(c, "resident_id", False) for c in ID_INVALID],
)
def test_it_classifies_every_published_example(code: str, kind: str, valid: bool) -> None:
    result = check(code)
    assert set(result) == {"kind", "valid", "reason", "parts"}
    assert (result["kind"], result["valid"]) == (kind, valid), result["reason"]
    assert isinstance(result["reason"], str) and isinstance(result["parts"]["warnings"], list)


def test_it_tells_all_digit_usccs_from_id_numbers() -> None:
    # §2.1: 123502001549897397 and 913502115628130384 are 18 digits, like an ID number.
    assert check("123502001549897397")["kind"] == "uscc"
    assert check("913502115628130384")["kind"] == "uscc"
    assert check("913502115628130385")["kind"] == "uscc"  # broken, no date in positions 7–14


def test_it_reads_an_impossible_birth_date_as_an_id_number() -> None:
    first17 = "11010519990231002"
    result = check(first17 + id_check_char(first17))
    assert (result["kind"], result["valid"]) == ("resident_id", False)
    assert result["reason"] == "出生日期 19990231 不存在"


def test_it_prefers_the_kind_that_validates() -> None:
    # 18 digits that look like an ID (province-like start, date 19900101 in positions 7–14)
    # but only validate as a USCC.
    for tail in range(100):
        body = f"900101{tail:02d}"
        inner = org_check_char(body)
        if inner != "X":
            break
    first17 = "11110119" + body + inner
    code = first17 + uscc_check_char(first17)
    assert code[6:14] == "19900101" and not validate_resident_id(code).valid
    result = check(code)
    assert (result["kind"], result["valid"]) == ("uscc", True), result["reason"]


def _doubly_valid() -> str:
    """An ID number that is also a valid USCC (about 1 in 341 pass both USCC checks)."""
    for day in range(1, 29):
        for seq in range(1000):
            first17 = f"110105199001{day:02d}{seq:03d}"
            code = first17 + id_check_char(first17)
            if validate_resident_id(code).valid and validate_uscc(code).valid:
                return code
    raise AssertionError("no doubly valid number found")


def test_it_says_so_when_a_number_passes_as_both_kinds() -> None:
    code = _doubly_valid()
    result = check(code)
    assert (result["kind"], result["valid"]) == ("resident_id", True)
    assert "亦符合统一社会信用代码的全部规则" in result["parts"]["warnings"]


@pytest.mark.parametrize(
    ("code", "kind", "valid"),
    [
        ("60003734-1", "org_code", True),
        ("600037341", "org_code", True),
        ("600037342", "org_code", False),
        ("110105491231002", "resident_id", True),
        ("110105********002X", "resident_id", False),
        ("330481", "division", True),
        ("999999", "division", False),
        ("", "unknown", False),
        ("abc", "unknown", False),
        ("9111000060003734", "unknown", False),
        ("11010519491231002X1", "unknown", False),
        ("91110000600037341I", "uscc", False),
    ],
)
def test_it_picks_the_kind_from_the_shape(code: str, kind: str, valid: bool) -> None:
    result = check(code)
    assert (result["kind"], result["valid"]) == (kind, valid), result["reason"]


def test_it_normalises_spaces_case_and_full_width_with_warnings() -> None:
    result = check(" 11010519491231002x ")
    assert result["valid"] and result["kind"] == "resident_id"
    assert result["parts"]["warnings"] == ["已去除首尾空白", "已将小写字母转为大写"]
    full_width = check("１１０１０５１９４９１２３１００２Ｘ")
    assert full_width["valid"] and full_width["parts"]["warnings"] == ["已将全角字符转为半角"]


def test_it_refuses_non_strings() -> None:
    with pytest.raises(TypeError):
        check(None)  # type: ignore[arg-type]


def test_it_explains_unknown_shapes() -> None:
    assert check("abc")["reason"].startswith("无法识别的代码：长度3位")


def test_it_accepts_historical_division_codes_with_a_warning() -> None:
    result = check("440524")  # §2.2: 潮阳县, abolished 1993 → 440582
    assert result["valid"]
    assert result["parts"]["status"] == "弃用" and result["parts"]["current"] is False
    assert result["parts"]["warnings"] == ["该代码（潮阳县）已于1993年弃用，新代码 440582"]


def test_it_names_a_current_division() -> None:
    result = check("330481")  # §2.3: Haining
    assert result["valid"] and result["reason"] == "校验通过"
    assert result["parts"]["full_name"] == "浙江省嘉兴市海宁市"
    assert result["parts"]["prefecture_code"] == "330400" and result["parts"]["current"] is True


def test_it_rejects_a_never_used_division_code() -> None:
    assert check("999999")["reason"] == "行政区划代码 999999 不是1981年以来使用过的行政区划代码"


def test_it_accepts_a_municipal_district_summary_code_with_a_warning() -> None:
    # 440101 appears in the published USCC 91440101MA5CJQ4N59 (§2.1) but not in the MCA history list.
    assert divisions.lookup("440101") is None
    result = check("440101")
    assert result["valid"] and result["parts"]["full_name"] == "广东省广州市市辖区"
    assert "市辖区汇总码" in result["parts"]["warnings"][0]
    assert not check("440199")["valid"] and not check("999901")["valid"]


def test_it_looks_up_division_names() -> None:
    assert divisions.division_name("440524") == "潮阳县"
    assert divisions.division_name("440524", any_time=False) is None
    assert divisions.division_name("330481", any_time=False) == "海宁市"
    assert divisions.division_full_name("110105") == "北京市朝阳区"
    assert divisions.is_current("330481") and not divisions.is_current("999999")
    # 350211 was 郊区 (1983–1987), then 集美区: the code in use wins.
    assert [r.name for r in divisions.records("350211")] == ["集美区", "郊区"]
    assert divisions.division_name("350211") == "集美区"


def test_it_loads_all_division_rows() -> None:
    assert len(divisions.known_codes()) == 6450  # distinct codes among the 6823 data rows
    assert sum(map(divisions.is_current, divisions.known_codes())) == 3213  # §2.3: 2024 list


@given(st.text(max_size=25))
def test_it_always_answers_with_the_four_keys(text: str) -> None:
    result = check(text)
    assert set(result) == {"kind", "valid", "reason", "parts"}
    assert result["kind"] in KINDS and isinstance(result["valid"], bool) and result["reason"]
    assert result["valid"] is result["reason"].startswith("校验通过")


def test_it_imports_nothing_but_the_standard_library() -> None:
    script = (
        "import sys; sys.path.insert(0, sys.argv[1]); import identifiers as m;"
        "m.check('11010519491231002X'); m.check('91110000600037341L'); m.check('330481');"
        "top = {n.split('.')[0] for n in sys.modules};"
        "print(','.join(sorted(top - set(sys.stdlib_module_names) - {'identifiers', '__main__'})))"
    )
    out = subprocess.run(
        [sys.executable, "-I", "-S", "-c", script, str(PACKAGE_DIR.parent)], capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == ""  # no django, no third-party module at all
