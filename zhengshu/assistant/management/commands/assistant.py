"""``zhengshu assistant <subcommand>``: the Q&A assistant from the command line.

- ``ask "问题" [--json]`` / ``ask --batch FILE.jsonl [--json]`` (input lines ``{"question": …}``)
- ``evaluate FILE.jsonl [--split train|holdout] [--baseline] [--json]``
- ``load-knowledge [--json]`` — add the shipped aliases and FAQ entries that are missing
"""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from zhengshu.core.context import command_context


class Command(BaseCommand):
    help = "智能问答：提问、批量提问、评测、载入知识库。"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True, title="子命令")
        ask = sub.add_parser("ask", help="提问（一个问题，或 --batch 逐行提问）")
        ask.add_argument("question", nargs="?", default=None)
        ask.add_argument("--batch", metavar="FILE", help="JSONL 文件，每行 {\"question\": …}")
        ask.add_argument("--json", action="store_true", help="输出 JSON（批量时每行一个）")
        ask.add_argument("--no-log", action="store_true", help="不写入提问记录")
        ev = sub.add_parser("evaluate", help="在标注集上评测：Hit@1、Hit@3、MRR@10、拒答识别率")
        ev.add_argument("file", metavar="FILE")
        ev.add_argument("--split", choices=["train", "holdout"], help="只评测标注集中该部分")
        ev.add_argument("--baseline", action="store_true", help="同时评测“仅按事项名称 BM25”的基线")
        ev.add_argument("--misses", action="store_true", help="列出未命中的问题")
        ev.add_argument("--json", action="store_true")
        ld = sub.add_parser("load-knowledge", help="载入随程序提供的同义词与常见问答（不覆盖已有内容）")
        ld.add_argument("--json", action="store_true")

    def handle(self, *args, **options):
        handler = getattr(self, "do_" + options["subcommand"].replace("-", "_"))
        handler(options)

    def _write(self, options, data: dict, text: str) -> None:
        self.stdout.write(json.dumps(data, ensure_ascii=False) if options.get("json") else text)

    def do_ask(self, options):
        from zhengshu.assistant.ask import answer, ask_and_log, compact

        def one(question) -> dict:
            if options["no_log"]:
                out, result = answer(question)
                return compact(out, result)
            out = ask_and_log(question, channel="cli")
            answers = ([out["card"]] if out["card"] else []) + (out["alternatives"] if not out["no_answer"] else [])
            return {"question": out["question"], "no_answer": out["no_answer"],
                    "answers": [{"implementation_code": a["implementation_code"], "name": a["name"],
                                 "score": a["score"]} for a in answers]}

        if options["batch"] and options["question"] is not None:
            raise CommandError("问题和 --batch 只能给一个")
        with command_context("assistant ask"):
            if options["batch"]:
                path = Path(options["batch"])
                if not path.exists():
                    raise CommandError(f"文件不存在：{path}")
                for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                    if not line.strip():
                        continue
                    try:
                        data = json.loads(line)
                    except json.JSONDecodeError as exc:
                        raise CommandError(f"{path.name} 第 {number} 行不是合法的 JSON：{exc.msg}") from None
                    if not isinstance(data, dict) or "question" not in data:
                        raise CommandError(f"{path.name} 第 {number} 行缺少 question 字段")
                    row = one(data["question"])
                    self._write(options, {"question": row["question"], "answers": row["answers"],
                                          "no_answer": row["no_answer"]}, _text(row))
                return
            if options["question"] is None:
                raise CommandError("请给出问题，或用 --batch FILE")
            row = one(options["question"])
            self._write(options, {"question": row["question"], "answers": row["answers"],
                                  "no_answer": row["no_answer"]}, _text(row))

    def do_evaluate(self, options):
        from zhengshu.assistant.evaluate import LabelError, evaluate

        path = Path(options["file"])
        if not path.exists():
            raise CommandError(f"文件不存在：{path}")
        try:
            result = evaluate(path, split=options["split"], baseline=options["baseline"])
        except LabelError as exc:
            raise CommandError(str(exc)) from None
        if not options["misses"]:
            for key in ("assistant", "baseline"):
                if key in result:
                    result[key] = {k: v for k, v in result[key].items() if k != "misses"}
        lines = [f"评测 {path.name}（{result['split']}）"]
        for key, label in (("assistant", "智能问答"), ("baseline", "基线：事项名称 BM25")):
            if key not in result:
                continue
            r = result[key]
            recognised = "—" if r["no_answer_recognised"] is None else f"{r['no_answer_recognised']:.1%}"
            lines.append(f"{label}：问题 {r['questions']}（可答 {r['answerable']}，无答案 {r['no_answer_questions']}）"
                         f" Hit@1 {r['hit_at_1']:.3f} Hit@3 {r['hit_at_3']:.3f} MRR@10 {r['mrr_at_10']:.3f}"
                         f" 无答案识别 {recognised} 可答被拒 {r['refused_answerable']:.1%}")
            for miss in r.get("misses", []):
                lines.append(f"  未命中 第{miss['line']}行 {miss['question']} {miss}")
        self._write(options, result, "\n".join(lines))

    def do_load_knowledge(self, options):
        from zhengshu.assistant.demo import load_knowledge

        with command_context("assistant load-knowledge"):
            aliases, faqs = load_knowledge()
        self._write(options, {"aliases_added": aliases, "faq_added": faqs},
                    f"新增同义词 {aliases} 条，常见问答 {faqs} 条")


def _text(row: dict) -> str:
    if row["no_answer"]:
        return f"{row['question']}\n  （没有找到答案）"
    return row["question"] + "".join(f"\n  {a['score']:>7.2f}  {a['name']}  {a['implementation_code']}"
                                     for a in row["answers"])
