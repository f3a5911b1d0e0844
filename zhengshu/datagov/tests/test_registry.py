"""The aggregation registry follows the catalogue: a published resource is due under its catalogue code, and a
batch the pipeline ingests under that code counts for it."""

from __future__ import annotations

import io
import json
import tempfile
from pathlib import Path

from django.core.management import call_command
from django.test import TestCase, override_settings

from zhengshu.core.context import command_context
from zhengshu.datagov.lake import sync_deliveries
from zhengshu.datagov.models import AggregationResource, Delivery
from zhengshu.dataresources.tests.helpers import published_resource, world
from zhengshu.pipeline import Store, ingest


def register() -> dict:
    out = io.StringIO()
    call_command("datagov", "register", "--json", stdout=out)
    return json.loads(out.getvalue())


class RegistryTests(TestCase):
    def setUp(self):
        self.p = world()
        self.daily = published_resource(self.p)  # 301001/000001, daily
        self.irregular = published_resource(self.p, sequence="000002", name="海宁市企业年报抽查信息",
                                            update_cycle="irregular")

    def test_published_resources_join_the_registry_once(self):
        self.assertEqual(register(), {"candidates": 2, "created": 1, "updated": 0, "skipped": {"irregular": 1},
                                      "not_in_catalogue": 0})
        entry = AggregationResource.objects.get(code=self.daily.code)
        self.assertEqual((entry.name, entry.department, entry.update_cycle, entry.delivery_workdays),
                         (self.daily.name, self.p.dept_a, "daily", 1))
        self.assertEqual(register()["created"], 0)
        # Staff's own settings survive a later sync; the catalogue's name and cycle are followed.
        entry.delivery_workdays, entry.application = 3, "企业服务平台"
        entry.save()
        from zhengshu.dataresources.models import DataResource

        DataResource.objects.filter(pk=self.daily.pk).update(name="海宁市市场主体登记信息", update_cycle="weekly")
        self.assertEqual(register()["updated"], 1)
        entry.refresh_from_db()
        self.assertEqual((entry.name, entry.update_cycle, entry.delivery_workdays, entry.application),
                         ("海宁市市场主体登记信息", "weekly", 3, "企业服务平台"))

    def test_a_batch_ingested_under_the_catalogue_code_counts_for_the_registered_resource(self):
        register()
        root = Path(tempfile.mkdtemp(prefix="datagov-registry-"))
        csv = root / "企业登记.csv"
        csv.write_text("统一社会信用代码,企业名称,登记状态\n91330481MA2B00000Y,海宁市示范皮革有限公司,存续\n"
                       "91110000600037341X,海宁市长安经编有限公司,存续\n", encoding="gbk")
        from zhengshu.dataresources.selectors import pipeline_schema

        store = Store(root / "pipeline")
        result = ingest(csv, self.daily.code, pipeline_schema(self.daily.code), store)
        self.assertEqual((result["accepted"], result["rejected"]), (1, 1))
        with override_settings(DATA_DIR=root), command_context("test"):
            self.assertEqual(sync_deliveries(store)["created"], 1)
        delivery = Delivery.objects.get()
        self.assertEqual((delivery.resource.code, delivery.department, delivery.read), (self.daily.code,
                                                                                          self.p.dept_a, 2))
