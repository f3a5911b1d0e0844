"""``zhengshu catalog``: export, import (as a user, all or nothing), counts and schema with their JSON."""

import io
import json

from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import TestCase
from openpyxl import load_workbook

from zhengshu.dataresources.models import DataResource
from zhengshu.dataresources.tests.helpers import published_resource, world


class CatalogCommandTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.p = world()
        cls.resource = published_resource(cls.p)

    def run_json(self, *args) -> dict:
        out = io.StringIO()
        call_command("catalog", *args, stdout=out)
        return json.loads(out.getvalue())

    def test_export_import_counts_and_schema(self):
        import tempfile
        from pathlib import Path

        folder = Path(tempfile.mkdtemp())
        result = self.run_json("export", str(folder / "c.xlsx"), "--json")
        self.assertEqual((result["resources"], result["items"]), (1, 6))
        book = load_workbook(folder / "c.xlsx")
        book["目录"]["B2"] = "000777"
        for row in range(2, 8):
            book["信息项"][f"A{row}"] = "301001/000777"
        book.save(folder / "new.xlsx")
        result = self.run_json("import", str(folder / "new.xlsx"), "--user", "clerk_a", "--json")
        self.assertEqual((result["written"], result["resources"]["accepted"], result["items"]["accepted"]),
                         (True, 1, 6))
        self.assertEqual(DataResource.objects.get(code="301001/000777").status, "draft")
        with self.assertRaises(SystemExit):  # the same file again: fine; the original codes: already published
            call_command("catalog", "import", str(folder / "c.xlsx"), "--user", "clerk_a", stdout=io.StringIO())
        with self.assertRaises(CommandError):
            call_command("catalog", "import", str(folder / "c.xlsx"), "--user", "nobody", stdout=io.StringIO())
        counts = self.run_json("counts", "--json")
        self.assertEqual((counts["total"], counts["shareable"], counts["openable"]), (1, 1, 1))
        schema = self.run_json("schema", self.resource.code)
        self.assertEqual(schema["key"], ["uscc"])
        with self.assertRaises(CommandError):
            call_command("catalog", "schema", "000000/000000", stdout=io.StringIO())
