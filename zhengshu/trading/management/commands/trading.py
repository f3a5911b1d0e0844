"""``zhengshu trading check|evaluate|rules``: the "七个不准" tender-document checker on the command line.

    zhengshu trading check 招标文件.docx --facts '{"estimated_price_yuan": 6000000}' --json
    zhengshu trading check --batch clauses.jsonl --json      # one output line per input line, in order
    zhengshu trading evaluate clauses.jsonl [--json] [--details]
    zhengshu trading rules [--json]

Supervisors' rule overrides are read from the database when the trading app provides
``zhengshu.trading.selectors.rule_overrides()``; ``--builtin-only`` skips them.
"""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from zhengshu.trading.checker import ExtractionError, check_document, check_text, load_rules
from zhengshu.trading.checker.evaluate import DatasetError, evaluate, read_lines
from zhengshu.trading.checker.segment import SECTION_LABELS


def _override_source():
    """The trading app's function giving the catalogue overrides kept in the database, if it has one."""
    try:
        from zhengshu.trading.selectors import rule_overrides

        return rule_overrides
    except ImportError:
        pass
    try:
        from zhengshu.trading.documents import overrides

        return overrides
    except ImportError:
        return None


def _db_overrides(stderr) -> list[dict]:
    source = _override_source()
    if source is None:
        return []
    try:
        return list(source() or [])
    except Exception as exc:  # a missing table during set-up must not stop a check of a file
        stderr.write(f"警告：未能读取数据库中的规则覆盖（{exc.__class__.__name__}），按内置规则检查\n")
        return []


def _parse_facts(value: str | None) -> dict:
    if not value:
        return {}
    text = value
    if not value.lstrip().startswith("{"):
        path = Path(value)
        if not path.exists():
            raise CommandError(f"--facts 既不是 JSON 对象也不是存在的文件：{value}")
        text = path.read_text(encoding="utf-8-sig")
    try:
        facts = json.loads(text)
    except json.JSONDecodeError as exc:
        raise CommandError(f"--facts 不是有效的 JSON（{exc.msg}，第{exc.colno}列）") from None
    if not isinstance(facts, dict):
        raise CommandError("--facts 应为 JSON 对象，如 {\"estimated_price_yuan\": 6000000}")
    return facts


class Command(BaseCommand):
    help = "招标文件“七个不准”检查：check 检查文件或批量条款，evaluate 评估召回率和误报率，rules 列出规则目录。"
    requires_system_checks: list = []

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        check = sub.add_parser("check", help="检查一个招标文件（docx/PDF/HTML/文本）或一批条款（--batch）")
        check.add_argument("file", nargs="?", help="招标或采购文件")
        check.add_argument("--batch", metavar="FILE.jsonl", help="每行 {\"text\", \"project\": {项目事实}}")
        check.add_argument("--facts", help="项目事实：JSON 对象或 JSON 文件路径")
        check.add_argument("--json", action="store_true", help="输出 JSON")
        check.add_argument("--builtin-only", action="store_true", help="只用内置规则，不读数据库中的覆盖")
        ev = sub.add_parser("evaluate", help="在标注条款集上计算召回率和误报率（总体及按规则分组）")
        ev.add_argument("file", help="每行 {\"text\", \"label\": \"violate\"|\"comply\", \"project\"}")
        ev.add_argument("--json", action="store_true")
        ev.add_argument("--details", action="store_true", help="列出漏检和误报的条款")
        ev.add_argument("--builtin-only", action="store_true")
        rules = sub.add_parser("rules", help="列出规则目录（含覆盖后的状态）")
        rules.add_argument("--json", action="store_true")
        rules.add_argument("--builtin-only", action="store_true")

    def _rules(self, builtin_only: bool):
        overrides = [] if builtin_only else _db_overrides(self.stderr)
        ruleset = load_rules(overrides, strict=False)
        for reason in getattr(ruleset, "skipped", []):
            self.stderr.write(f"警告：规则覆盖未生效：{reason}\n")
        return ruleset

    def handle(self, *args, action, **options):
        {"check": self._check, "evaluate": self._evaluate, "rules": self._list_rules}[action](**options)

    # ------------------------------------------------------------ check
    def _check(self, file=None, batch=None, facts=None, json=False, builtin_only=False, **_):  # noqa: A002
        as_json = json
        if bool(file) == bool(batch):
            raise CommandError("请给出一个文件，或用 --batch 给出条款文件（二者选一）")
        rules = self._rules(builtin_only)
        if batch:
            return self._check_batch(batch, rules)
        try:
            result = check_document(file, Path(file).name, _parse_facts(facts), rules)
        except ExtractionError as exc:
            raise CommandError(str(exc)) from None
        if as_json:
            out = {"file": str(file), "chars": len(result.text), **result.as_dict()}
            self.stdout.write(_dumps(out))
            return
        self.stdout.write(f"{file}：{len(result.text)} 字，{len(result.sections)} 个标题，{len(result.findings)} 条发现")
        for f in result.findings:
            line = result.text.count("\n", 0, f.start) + 1
            self.stdout.write(f"[{f.severity}] {f.rule}（{f.group}）第{line}行 {SECTION_LABELS.get(f.section, '')}："
                              f"“{f.text}” — {f.message}。依据：{f.basis}")

    def _check_batch(self, path, rules):
        import json as _json

        failed = 0
        try:
            fh = open(path, encoding="utf-8-sig")
        except OSError as exc:
            raise CommandError(f"无法读取 {path}：{exc.strerror}") from None
        with fh:
            for n, line in enumerate(fh, 1):
                if not line.strip():
                    continue
                try:
                    item = _json.loads(line)
                    if not isinstance(item, dict) or not isinstance(item.get("text"), str):
                        raise ValueError("缺少字符串字段 text")
                    project = item.get("project") or {}
                    if not isinstance(project, dict):
                        raise ValueError("project 应为对象")
                except _json.JSONDecodeError as exc:
                    failed += 1
                    self.stdout.write(_dumps({"findings": [], "error": f"第{n}行：不是有效的 JSON（第{exc.colno}列）"}))
                    continue
                except ValueError as exc:
                    failed += 1
                    self.stdout.write(_dumps({"findings": [], "error": f"第{n}行：{exc}"}))
                    continue
                findings = check_text(item["text"], project, rules)
                self.stdout.write(_dumps({"findings": [f.as_dict(full=False) for f in findings]}))
        if failed:
            self.stdout.flush()
            raise CommandError(f"{failed} 行输入无效（见对应输出行的 error）")

    # ------------------------------------------------------------ evaluate
    def _evaluate(self, file, json=False, details=False, builtin_only=False, **_):  # noqa: A002
        try:
            ev = evaluate(read_lines(file), self._rules(builtin_only))
        except (DatasetError, OSError) as exc:
            raise CommandError(str(exc)) from None
        if json:
            self.stdout.write(_dumps(ev.as_dict(details=details)))
            return
        self.stdout.write(f"{file}：召回率 {ev.total.recall:.1%}，误报率 {_pct(ev.total.fpr)}")
        self.stdout.write(ev.table())
        if details:
            for m in ev.misses:
                self.stdout.write(f"漏检 第{m['line']}行 {m['rule'] or ''}：{m['text']}")
            for m in ev.false_positives:
                self.stdout.write(f"误报 第{m['line']}行 {m['rule'] or ''}：{m['text']} ← {'；'.join(m['findings'])}")

    # ------------------------------------------------------------ rules
    def _list_rules(self, json=False, builtin_only=False, **_):  # noqa: A002
        ruleset = self._rules(builtin_only)
        if json:
            self.stdout.write(_dumps({"groups": ruleset.groups, "rules": [r.as_dict() for r in ruleset]}))
            return
        for r in ruleset:
            state = "启用" if r.enabled else "停用"
            self.stdout.write(f"{r.id}\t{r.group}\t{r.severity}\t{state}\t{r.title}")


def _pct(v):
    return "—" if v is None else f"{v:.1%}"


def _dumps(obj) -> str:
    return json.dumps(obj, ensure_ascii=False)

