"""``zhengshu archive build|export|show --json``: the exact JSON shapes of the issue."""

from __future__ import annotations

import json
from io import StringIO

from django.core.management import CommandError, call_command

from zhengshu.archive.tests.base import A, B, ArchiveTestCase


def run(*args) -> str:
    out = StringIO()
    call_command("archive", *args, stdout=out)
    return out.getvalue()


class ArchiveCommand(ArchiveTestCase):
    def test_build_prints_the_four_figures(self):
        data = json.loads(run("build", "--json"))
        self.assertEqual(data, {"enterprises": 2, "linked": 5, "unlinked": 1, "review": 1})
        self.assertEqual(json.loads(run("build", "--full", "--json")), data)
        self.assertIn("企业 2 家", run("build"))

    def test_export_prints_one_line_per_enterprise_with_resource_and_key(self):
        lines = [json.loads(line) for line in run("export", "--json").splitlines()]
        self.assertEqual([set(row) for row in lines], [{"uscc", "name", "sources"}] * 2)
        by = {row["uscc"]: row for row in lines}
        self.assertEqual(by[A]["name"], "海宁恒达建设有限公司")
        self.assertEqual(by[A]["sources"], [
            {"resource": "330481-SJJ/ENT-REG", "key": A},
            {"resource": "330481-ZFJ/PENALTY", "key": "海市监罚〔2024〕1号"},
            {"resource": "330481-ZFJ/PENALTY", "key": "海市监罚〔2024〕2号"},
        ])
        self.assertEqual(by[B]["sources"], [{"resource": "330481-SJJ/ENT-REG", "key": B},
                                            {"resource": "330481-ZFJ/PENALTY", "key": "海市监罚〔2024〕3号"}])

    def test_show_prints_the_enterprise_with_lineage_and_masks_the_legal_rep(self):
        data = json.loads(run("show", A.lower(), "--json"))
        self.assertEqual((data["uscc"], data["name"], data["records"]), (A, "海宁恒达建设有限公司", 3))
        self.assertEqual(data["facts"]["legal_rep"]["value"], "张**")
        self.assertEqual(data["facts"]["capital"]["resource"], "330481-SJJ/ENT-REG")
        self.assertEqual(sorted(s["key"] for s in data["sources"]), sorted([A, "海市监罚〔2024〕1号", "海市监罚〔2024〕2号"]))
        self.assertEqual({s["method"] for s in data["sources"]}, {"uscc", "name"})
        with self.assertRaisesMessage(CommandError, "档案中没有统一社会信用代码为 91330481MA9999999X 的企业"):
            run("show", "91330481MA9999999X", "--json")
