"""The standardise/validate transformations, written once as SQL and emitted for DuckDB or Spark SQL.

Everything that decides a value or a verdict lives here. ``engine`` (DuckDB) and ``spark`` (PySpark)
only read the source, run the SQL this module builds, and write the result; so the two engines give the
same accepted and rejected rows on the same file (tested in ``tests/test_spark.py``).

The SQL avoids backslashes (Spark string literals treat them as escapes) and uses only functions that
both engines have with the same meaning: ``trim``, ``translate``, ``upper``, ``length``, ``substr``,
``instr``, ``replace``, ``lpad``, ``regexp_extract``, ``try_cast``, ``||``, ``CASE``.

Query shape (one pass, pipelined; the duplicate test is the engine's, outside these stages)::

    src(_ord, c0…cn)                       raw text, one column per source column
    std:  s_<item>  = standardised text   (full-width → half-width, trim, '' → NULL; folding only in rows
                                           whose text holds a full-width character, one test per row)
    lkp:  code lookups                     (division codes for check: division / idcard; a bitmap macro on
                                            DuckDB, a LEFT JOIN on Spark)
    pre:  _p…       = sub-expressions used several times by the rules, computed once per row
    typ:  <item>    = typed value          (integer, decimal with units, ISO date, …)
    val:  _e0       = first failing rule   (0 = none), an integer code → RULES[_e0]
    out:  _e        = _e0, or the duplicate code for a repeated key (first occurrence kept; ``dedup`` for
                                            Spark, a key-only group-by in ``engine`` for DuckDB)
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

# Full-width → half-width for digits, Latin letters, brackets and the punctuation of numbers and
# dates (U+FF10… and U+3000). Chinese punctuation such as ，。、 is kept.
_FULL = "０１２３４５６７８９ＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰＱＲＳＴＵＶＷＸＹＺａｂｃｄｅｆｇｈｉｊｋｌｍｎｏｐｑｒｓｔｕｖｗｘｙｚ（）［］－＋．／：％＠　"
_HALF = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz()[]-+./:%@ "
assert len(_FULL) == len(_HALF)

A31 = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # GB 32100 alphabet, values 0–30
A36 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"  # GB 11714 values 0–35
USCC_W = [pow(3, i, 31) for i in range(17)]
ORG_W = [3, 7, 9, 10, 5, 8, 4, 2]
ID_W = [pow(2, 17 - i, 11) for i in range(17)]
PILOT_USCC = ("91350100M0001TGQXM", "91350211M0000XUF46", "91350203M0001FUE2P", "91350203M0001QAY9B")
PERMIT_CODES = ("810000", "820000", "830000")
TRUE_WORDS = ("是", "TRUE", "T", "Y", "YES", "1", "真")
FALSE_WORDS = ("否", "FALSE", "F", "N", "NO", "0", "假")
TYPE_NAMES = {"integer": "整数", "decimal": "数值", "date": "日期", "datetime": "日期时间", "boolean": "是/否"}
_MULT = {"亿": 100_000_000, "万": 10_000, "千": 1_000}

# Rule ids (stable: used in the quarantine and the stats).
RULE_IDS = ("required", "type", "max_length", "enum", "check:uscc", "check:orgcode", "check:idcard",
            "check:division", "check:phone", "ragged", "duplicate")


@dataclass(frozen=True)
class Dialect:
    name: str
    string: str
    timestamp: str

    def lit(self, text: str) -> str:
        if self.name == "spark":
            return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"
        return "'" + text.replace("'", "''") + "'"

    def full_match(self, expr: str, pattern: str) -> str:
        if self.name == "spark":
            return f"({expr} RLIKE {self.lit('^(' + pattern + ')$')})"
        return f"regexp_full_match({expr}, {self.lit(pattern)})"

    def extract(self, expr: str, pattern: str, group: int) -> str:
        return f"regexp_extract({expr}, {self.lit('^' + pattern + '$')}, {group})"

    def contains(self, expr: str, chars: str) -> str:
        """True when ``expr`` holds any of ``chars`` (a regular-expression class; no escapes needed)."""
        if self.name == "spark":
            return f"({expr} RLIKE {self.lit('[' + chars + ']')})"
        return f"regexp_matches({expr}, {self.lit('[' + chars + ']')})"

    def try_cast(self, expr: str, kind: str) -> str:
        return f"TRY_CAST({expr} AS {kind})"

    def add_days(self, date_sql: str, days_sql: str) -> str:
        if self.name == "spark":
            return f"date_add({date_sql}, {days_sql})"
        return f"CAST({date_sql} + CAST({days_sql} AS INTEGER) AS DATE)"

    def idiv(self, a: str, b: int) -> str:
        return f"({a} DIV {b})" if self.name == "spark" else f"({a} // {b})"

    def date_lit(self, day: dt.date) -> str:
        return f"DATE '{day.isoformat()}'"

    def text(self, expr: str) -> str:
        return f"CAST({expr} AS {self.string})"


DUCKDB = Dialect("duckdb", "VARCHAR", "TIMESTAMP")
SPARK = Dialect("spark", "STRING", "TIMESTAMP_NTZ")

DECIMAL = "DECIMAL(24,6)"


@dataclass
class Check:
    code: int  # 1-based position in Plan.checks; the value of _e
    rule: str
    item: dict
    fail: str  # SQL, true when the row fails (evaluated in the val stage)
    reason: str  # SQL, the Chinese reason (evaluated only for failing rows)


@dataclass
class Plan:
    """The SQL pieces for one schema against one source header."""

    dialect: Dialect
    schema: dict
    columns: list[str]  # source header, in order (c0…)
    matched: dict[str, int]  # item name → source column index
    std: list[str]  # "expr AS s_name"
    lookups: list[tuple[str, str]]  # (alias, join expression on std columns)
    typed: list[str]  # "expr AS name"
    checks: list[Check]
    today: dt.date
    pre: list[str]  # "expr AS _p…": a sub-expression used several times, computed once per row

    @property
    def dup_code(self) -> int:
        return len(self.checks) + 1

    def rule_of(self, code: int) -> tuple[str, str | None]:
        """(rule id, item label) of an _e code."""
        if code == self.dup_code:
            return "duplicate", None
        check = self.checks[code - 1]
        return check.rule, check.item["label"]

    # -- SQL ----------------------------------------------------------------------------------
    def raw_list(self) -> str:
        return "[" + ", ".join(f"c{i}" for i in range(len(self.columns))) + "]" if self.dialect.name == "duckdb" \
            else "array(" + ", ".join(f"c{i}" for i in range(len(self.columns))) + ")"

    def first_failure(self) -> str:
        if not self.checks:
            return "0"
        whens = " ".join(f"WHEN {c.fail} THEN {c.code}" for c in self.checks)
        return f"CASE {whens} ELSE 0 END"

    def reason_case(self, code_col: str = "_e") -> str:
        whens = " ".join(f"WHEN {c.code} THEN {c.reason}" for c in self.checks)
        dup = self.dialect.lit(f"主键（{'、'.join(self.key_labels())}）与本批前面的行重复，保留首次出现的行")
        return f"CASE {code_col} {whens} WHEN {self.dup_code} THEN {dup} END"

    def key_labels(self) -> list[str]:
        by_name = {i["name"]: i["label"] for i in self.schema["items"]}
        return [by_name[k] for k in self.schema["key"]]

    def stages(self, source: str, code_table: str = "_divcodes", carry: str = "_ord") -> str:
        """The CTE text up to ``val`` (typed values and ``_e0``), reading ``source`` (``carry``, c0…).

        Code lookups: Spark joins ``code_table``; DuckDB calls the macro ``_code_known`` (a bitmap of the
        6-digit codes, see ``engine.connect``), because a join would give up the source order that the
        engine's row numbers rely on.
        """
        raw = ", ".join(f"c{i}" for i in range(len(self.columns)))
        if self.dialect.name == "duckdb":
            joins = ""
            lookup_cols = ", ".join(f"CASE WHEN _code_known({on}) THEN {on} END AS {alias}_code"
                                    for alias, on in self.lookups)
        else:
            joins = " ".join(f"LEFT JOIN {code_table} AS {alias} ON {alias}.code = {on}" for alias, on in self.lookups)
            lookup_cols = ", ".join(f"{alias}.code AS {alias}_code" for alias, _ in self.lookups)
        # One full-width test per row on all its text, instead of one per column: rows without any (nearly
        # all) skip the per-column tests.
        fw = self.dialect.contains(f"concat_ws('', {raw})", _FULL) if raw else "false"
        lead = f"{carry}, " if carry else ""
        return (
            f"std AS (SELECT {lead}{raw}, {', '.join(self.std)} FROM (SELECT *, {fw} AS _fw FROM {source}) AS _fws), "
            f"lkp AS (SELECT std.*{', ' + lookup_cols if lookup_cols else ''} FROM std {joins}), "
            f"pre AS (SELECT lkp.*{''.join(', ' + p for p in self.pre)} FROM lkp), "
            f"typ AS (SELECT pre.*, {', '.join(self.typed)} FROM pre), "
            f"val AS (SELECT typ.*, {self.first_failure()} AS _e0 FROM typ)"
        )

    def dedup(self) -> str:
        """``_e`` from ``_e0`` and the key window (first occurrence by ``_ord`` kept)."""
        key = self.schema["key"]
        if not key:
            return "_e0 AS _e"
        part = ", ".join(key)
        return (f"CASE WHEN _e0 <> 0 THEN _e0 WHEN row_number() OVER (PARTITION BY _e0, {part} ORDER BY _ord) > 1 "
                f"THEN {self.dup_code} ELSE 0 END AS _e")

    def item_names(self) -> list[str]:
        return [i["name"] for i in self.schema["items"]]


def _unit_multiplier(unit: str | None) -> int:
    if unit:
        for word, mult in _MULT.items():
            if unit.startswith(word):
                return mult
    return 1


def _weighted(d: Dialect, s: str, alphabet: str, weights: list[int], start: int = 1) -> str:
    lit = d.lit(alphabet)
    return " + ".join(f"(instr({lit}, substr({s}, {start + i}, 1)) - 1) * {w}" for i, w in enumerate(weights))


def _once(pre: list[str] | None, expr: str, name: str) -> str:
    """``expr`` as a column of the ``pre`` stage (computed once per row), or inline when ``pre`` is None."""
    if pre is None:
        return expr
    pre.append(f"{expr} AS {name}")
    return name


def _digit_terms(d: Dialect, s: str, start: int, weights: list[int], pre: list[str] | None = None,
                 name: str = "") -> list[str]:
    """Weighted digits of ``s[start:start+len(weights)]`` by integer arithmetic on one cast, cheaper than one
    ``substr`` per character (NULL when the run is not all digits; the shape test rejects those rows anyway)."""
    n = len(weights)
    run = _once(pre, f"TRY_CAST(substr({s}, {start}, {n}) AS BIGINT)", f"_p{start}_{name}")
    return [f"(({d.idiv(run, 10 ** (n - 1 - i))} % 10) * {w})" if i < n - 1 else f"(({run} % 10) * {w})"
            for i, w in enumerate(weights)]


def _v31(x: str) -> str:
    """GB 32100 value (0–30) of a character given by its code point ``x`` (the shape test has vouched for it)."""
    return (f"(CASE WHEN {x} < 58 THEN {x} - 48 WHEN {x} < 73 THEN {x} - 55 WHEN {x} < 79 THEN {x} - 56 "
            f"WHEN {x} < 83 THEN {x} - 57 WHEN {x} < 86 THEN {x} - 58 ELSE {x} - 59 END)")


def _v36(x: str) -> str:
    """GB 11714 value (0–35) of a digit or capital letter given by its code point ``x``."""
    return f"(CASE WHEN {x} < 58 THEN {x} - 48 ELSE {x} - 55 END)"


def uscc_sql(d: Dialect, u: str, pre: list[str] | None = None) -> tuple[str, str, str, str]:
    """(ok, expected 18th char, expected 17th char, shape ok) for an upper-cased code ``u``.

    Characters are weighed by their code points (``ascii``), each taken once and shared by both check
    characters; positions 3–8 (digits in a valid code) by integer arithmetic on one cast.
    """
    shape = d.full_match(u, "[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{8}[0-9X][0-9A-HJ-NPQRTUWXY]")
    lit = d.lit(A31)
    cp = {i: _once(pre, f"ascii(substr({u}, {i}, 1))", f"_a{i}_{u}") for i in (1, 2, *range(9, 18))}
    terms = [f"{_v31(cp[i + 1])} * {USCC_W[i]}" for i in (0, 1)]
    terms += _digit_terms(d, u, 3, USCC_W[2:8], pre, u)  # positions 3-8 are digits in a valid code
    terms += [f"{_v31(cp[i + 1])} * {USCC_W[i]}" for i in range(8, 17)]
    c18 = f"substr({lit}, ((31 - (({' + '.join(terms)}) % 31)) % 31) + 1, 1)"
    org = " + ".join(f"{_v36(cp[9 + i])} * {w}" for i, w in enumerate(ORG_W))
    c17 = f"substr({d.lit('#123456789X0')}, 11 - (({org}) % 11) + 1, 1)"
    pilots = ", ".join(d.lit(p) for p in PILOT_USCC)
    ok = f"({shape} AND ({c18} = substr({u}, 18, 1) OR {u} IN ({pilots})) AND {c17} = substr({u}, 17, 1))"
    return ok, c18, c17, shape


def orgcode_sql(d: Dialect, u: str) -> tuple[str, str, str]:
    compact = f"(CASE WHEN length({u}) = 10 AND substr({u}, 9, 1) = '-' THEN substr({u}, 1, 8) || substr({u}, 10, 1) " \
              f"ELSE {u} END)"
    shape = d.full_match(compact, "[0-9A-Z]{8}[0-9X]")
    c9 = f"substr({d.lit('#123456789X0')}, 11 - (({_weighted(d, compact, A36, ORG_W)}) % 11) + 1, 1)"
    return f"({shape} AND {c9} = substr({compact}, 9, 1))", c9, compact


def idcard_sql(d: Dialect, u: str, known: str, today: dt.date, pre: list[str] | None = None) -> tuple[str, str, str]:
    """(ok, expected check char, birth ok) — ``known`` is the looked-up address code (NULL if unknown)."""
    digits = " + ".join(_digit_terms(d, u, 1, ID_W[:9], pre, u) + _digit_terms(d, u, 10, ID_W[9:], pre, u))
    check = f"substr('10X98765432', (({digits}) % 11) + 1, 1)"
    birth18 = f"substr({u}, 7, 4) || '-' || substr({u}, 11, 2) || '-' || substr({u}, 13, 2)"
    birth15 = f"'19' || substr({u}, 7, 2) || '-' || substr({u}, 9, 2) || '-' || substr({u}, 11, 2)"
    birth = f"TRY_CAST(CASE WHEN length({u}) = 15 THEN {birth15} ELSE {birth18} END AS DATE)"
    birth_ok = f"(coalesce({birth} BETWEEN DATE '1850-01-01' AND {d.date_lit(today)}, false))"
    addr_ok = f"({known} IS NOT NULL OR substr({u}, 1, 6) IN ({', '.join(d.lit(p) for p in PERMIT_CODES)}))"
    long_ok = f"({d.full_match(u, '[0-9]{17}[0-9X]')} AND {check} = substr({u}, 18, 1))"
    legacy_ok = d.full_match(u, "[0-9]{15}")
    ok = f"(({long_ok} OR {legacy_ok}) AND {addr_ok} AND {birth_ok})"
    return ok, check, birth_ok


# After removing spaces, hyphens and brackets: mobile (+86 optional), landline with or without area code, 400.
PHONE = "([+]?86)?1[3-9][0-9]{9}|(0[0-9]{2,3})?[2-9][0-9]{6,7}|400[0-9]{7}"


def build_plan(schema: dict, columns: list[str], dialect: Dialect = DUCKDB, today: dt.date | None = None) -> Plan:
    """Match the source header to the schema's items and build every SQL piece."""
    d = dialect
    today = today or dt.date.today()
    matched = match_columns(schema, columns)
    std, typed, lookups, checks, pre = [], [], [], [], []
    fold_from, fold_to = d.lit(_FULL), d.lit(_HALF)
    for item in schema["items"]:
        name, label = item["name"], item["label"]
        s = f"s_{name}"
        if name in matched:
            c = f"c{matched[name]}"
            # translate() is costly; only text holding a full-width character goes through it.
            # _fw: the row holds a full-width character somewhere (one test per row, see ``stages``).
            folded = (f"CASE WHEN _fw AND {d.contains(c, _FULL)} THEN translate({c}, {fold_from}, {fold_to}) "
                      f"ELSE {c} END")
            text = f"upper({folded})" if item["check"] in ("uscc", "orgcode", "idcard") else folded
            std.append(f"NULLIF(trim({text}), '') AS {s}")
        else:
            std.append(f"CAST(NULL AS {d.string}) AS {s}")
        kind = item["type"]
        value, type_fail = _typed(d, item, s, pre)
        typed.append(f"{value} AS {name}")
        if type_fail:
            # The val stage sees the typed column: refer to it instead of computing the value a second time.
            type_fail = f"{s} IS NOT NULL AND {name} IS NULL"
        L = d.lit(f"“{label}”")

        def add(rule: str, fail: str, reason: str, item=item) -> None:
            checks.append(Check(len(checks) + 1, rule, item, fail, reason))

        if item["required"]:
            add("required", f"{s} IS NULL", d.lit(f"必填数据项“{label}”为空"))
        if type_fail:
            add("type", type_fail, f"{L} || '的值“' || {s} || {d.lit('”不是有效的' + TYPE_NAMES[kind])}")
        if item["max_length"]:
            n = int(item["max_length"])
            add("max_length", f"length({s}) > {n}",
                f"{L} || '长度为' || {d.text(f'length({s})')} || {d.lit(f'个字符，超过上限{n}')}")
        if item["enum"]:
            values = ", ".join(d.lit(v) for v in item["enum"])
            shown = "、".join(item["enum"][:12]) + ("等" if len(item["enum"]) > 12 else "")
            add("enum", f"{s} NOT IN ({values})",
                f"{L} || '的值“' || {s} || {d.lit('”不在代码表中（可选值：' + shown + '）')}")
        check = item["check"]
        u = s  # check items are upper-cased in the std stage
        if check == "uscc":
            ok, c18, c17, shape = uscc_sql(d, u, pre)
            reason = (f"CASE WHEN length({u}) <> 18 THEN '应为18位，实际为' || {d.text(f'length({u})')} || '位' "
                      f"WHEN NOT {shape} THEN '含统一社会信用代码字符集以外的字符或第3-8位不是数字（不含 I、O、S、V、Z）' "
                      f"WHEN {c18} <> substr({u}, 18, 1) THEN '第18位校验码应为 ' || {c18} || '，实际为 ' || substr({u}, 18, 1) "
                      f"ELSE '第17位（组织机构代码）校验码应为 ' || {c17} || '，实际为 ' || substr({u}, 17, 1) END")
            add("check:uscc", f"NOT {ok}", f"{L} || '“' || {s} || '”不是有效的统一社会信用代码：' || {reason}")
        elif check == "orgcode":
            ok, c9, compact = orgcode_sql(d, u)
            reason = (f"CASE WHEN NOT {d.full_match(compact, '[0-9A-Z]{8}[0-9X]')} "
                      f"THEN '应为9位（或 XXXXXXXX-X 形式）的数字或大写字母' "
                      f"ELSE '第9位校验码应为 ' || {c9} || '，实际为 ' || substr({compact}, 9, 1) END")
            add("check:orgcode", f"NOT {ok}", f"{L} || '“' || {s} || '”不是有效的组织机构代码：' || {reason}")
        elif check == "idcard":
            alias = f"j_{name}"
            lookups.append((alias, f"substr({u}, 1, 6)"))
            ok, expected, birth_ok = idcard_sql(d, u, f"{alias}_code", today, pre)
            reason = (f"CASE WHEN length({u}) NOT IN (15, 18) THEN '应为18位（旧号码15位），实际为' || "
                      f"{d.text(f'length({u})')} || '位' "
                      f"WHEN NOT ({d.full_match(u, '[0-9]{17}[0-9A-Z]')} OR {d.full_match(u, '[0-9]{15}')}) "
                      f"THEN '含数字以外的字符' "
                      f"WHEN {alias}_code IS NULL AND substr({u}, 1, 6) NOT IN "
                      f"({', '.join(d.lit(p) for p in PERMIT_CODES)}) "
                      f"THEN '地址码 ' || substr({u}, 1, 6) || ' 不是1981年以来使用过的行政区划代码' "
                      f"WHEN NOT {birth_ok} THEN '出生日期无效' "
                      f"ELSE '第18位校验码应为 ' || {expected} || '，实际为 ' || substr({u}, 18, 1) END")
            add("check:idcard", f"NOT {ok}", f"{L} || '不是有效的居民身份证号码：' || {reason}")
        elif check == "division":
            alias = f"j_{name}"
            lookups.append((alias, s))
            add("check:division", f"{s} IS NOT NULL AND {alias}_code IS NULL",
                f"{L} || '“' || {s} || '”不是1981年以来使用过的6位行政区划代码'")
        elif check == "phone":
            compact = s
            for ch in (" ", "-", "－", "(", ")", "（", "）"):
                compact = f"replace({compact}, {d.lit(ch)}, '')"
            add("check:phone", f"NOT {d.full_match(compact, PHONE)}",
                f"{L} || '“' || {s} || '”不是有效的电话号码（手机11位，或座机号码，可带区号）'")
    # A check on a NULL value is not a failure: required covers emptiness.
    for c in checks:
        if c.rule != "required":
            c.fail = f"coalesce({c.fail}, false)" if c.rule in ("type",) else \
                f"(s_{c.item['name']} IS NOT NULL AND coalesce({c.fail}, false))"
    return Plan(d, schema, list(columns), matched, std, lookups, typed, checks, today, pre)


def _typed(d: Dialect, item: dict, s: str, pre: list[str] | None = None) -> tuple[str, str | None]:
    """(typed value SQL, failure SQL or None) for one item over its standardised text ``s``."""
    kind = item["type"]
    if kind == "string":
        return s, None
    if kind == "integer":
        t = f"replace(replace({s}, ',', ''), '，', '')"
        value = f"CASE WHEN {d.full_match(t, '[+-]?[0-9]{1,18}')} THEN TRY_CAST({t} AS BIGINT) END"
        return value, f"{s} IS NOT NULL AND {value} IS NULL"
    if kind == "decimal":
        t = _once(pre, f"replace(replace(replace({s}, ',', ''), '，', ''), ' ', '')", f"_pt_{item['name']}")
        pattern = "[+-]?[0-9]{1,12}([.][0-9]{1,8})?(亿|万|千)?元?"
        unit = _unit_multiplier(item.get("unit"))
        number = t
        for word in ("元", *_MULT):
            number = f"replace({number}, {d.lit(word)}, '')"
        factors = " ".join(f"WHEN instr({t}, {d.lit(w)}) > 0 THEN {d.lit(_factor(m, unit))}" for w, m in _MULT.items())
        factor = (f"CAST(CASE {factors} WHEN instr({t}, '元') > 0 THEN {d.lit(_factor(1, unit))} ELSE '1' END "
                  f"AS DECIMAL(18,8))")
        plain = "[+-]?[0-9]{1,12}([.][0-9]{1,8})?"
        value = (f"CASE WHEN {d.full_match(t, plain)} THEN TRY_CAST({t} AS {DECIMAL}) "
                 f"WHEN {d.full_match(t, pattern)} THEN TRY_CAST(TRY_CAST({number} AS DECIMAL(20,6)) * {factor} "
                 f"AS {DECIMAL}) END")
        return value, f"{s} IS NOT NULL AND {value} IS NULL"
    if kind in ("date", "datetime"):
        ymd = "([0-9]{4})[-/.年]([0-9]{1,2})[-/.月]([0-9]{1,2})日?"
        iso = (f"{d.extract(s, ymd + '.*', 1)} || '-' || lpad({d.extract(s, ymd + '.*', 2)}, 2, '0') || '-' || "
               f"lpad({d.extract(s, ymd + '.*', 3)}, 2, '0')")
        compact = f"substr({s}, 1, 4) || '-' || substr({s}, 5, 2) || '-' || substr({s}, 7, 2)"
        serial_days = f"CAST({d.extract(s, '([0-9]{5})([.][0-9]+)?', 1)} AS INTEGER)"
        serial = d.add_days("DATE '1899-12-30'", serial_days)
        if kind == "date":
            value = (f"CASE WHEN {d.full_match(s, '[0-9]{4}-[0-9]{2}-[0-9]{2}')} THEN TRY_CAST({s} AS DATE) "
                     f"WHEN {d.full_match(s, ymd + '([ T][0-9:.]*)?')} THEN TRY_CAST({iso} AS DATE) "
                     f"WHEN {d.full_match(s, '[0-9]{8}')} THEN TRY_CAST({compact} AS DATE) "
                     f"WHEN {d.full_match(s, '[0-9]{5}([.][0-9]+)?')} THEN {serial} END")
        else:
            hms = "([0-9]{1,2}):([0-9]{2})(:([0-9]{2}))?"
            full = ymd + "[ T]" + hms
            clock = (f"lpad({d.extract(s, full, 4)}, 2, '0') || ':' || {d.extract(s, full, 5)} || ':' || "
                     f"CASE WHEN {d.extract(s, full, 7)} = '' THEN '00' ELSE {d.extract(s, full, 7)} END")
            day_iso = (f"{d.extract(s, full, 1)} || '-' || lpad({d.extract(s, full, 2)}, 2, '0') || '-' || "
                       f"lpad({d.extract(s, full, 3)}, 2, '0')")
            value = (f"CASE WHEN {d.full_match(s, full)} THEN TRY_CAST({day_iso} || ' ' || {clock} AS {d.timestamp}) "
                     f"WHEN {d.full_match(s, ymd)} THEN TRY_CAST({iso} || ' 00:00:00' AS {d.timestamp}) "
                     f"WHEN {d.full_match(s, '[0-9]{5}')} THEN TRY_CAST({d.text(serial)} || ' 00:00:00' "
                     f"AS {d.timestamp}) END")
        return value, f"{s} IS NOT NULL AND {value} IS NULL"
    if kind == "boolean":
        yes = ", ".join(d.lit(w) for w in TRUE_WORDS)
        no = ", ".join(d.lit(w) for w in FALSE_WORDS)
        value = f"CASE WHEN upper({s}) IN ({yes}) THEN true WHEN upper({s}) IN ({no}) THEN false END"
        return value, f"{s} IS NOT NULL AND {value} IS NULL"
    raise ValueError(kind)


def _factor(mult: int, unit: int) -> str:
    """mult / unit as an exact decimal literal (both powers of ten)."""
    if mult >= unit:
        return str(mult // unit)
    digits = len(str(unit // mult)) - 1
    return "0." + "0" * (digits - 1) + "1"


def normalise_header(text: str) -> str:
    return text.replace("\ufeff", "").translate(str.maketrans(_FULL, _HALF)).strip()


def match_columns(schema: dict, columns: list[str]) -> dict[str, int]:
    """item name → index of the source column whose header is the item's label or name."""
    index: dict[str, int] = {}
    for i, header in enumerate(columns):
        index.setdefault(normalise_header(header), i)
        index.setdefault(normalise_header(header).lower(), i)
    matched: dict[str, int] = {}
    for item in schema["items"]:
        for candidate in (item["label"], item["name"], item["name"].lower()):
            if normalise_header(candidate) in index:
                matched[item["name"]] = index[normalise_header(candidate)]
                break
    return matched
