"""The demo catalogue (sizes and mix of the 2023 report) and the DCAT-AP 3.0 JSON-LD of every dataset."""

from django.test import TestCase

from zhengshu.dataresources import choices as c
from zhengshu.dataresources.demo_data import TARGET_OPENABLE, TARGET_SHAREABLE, TARGET_TOTAL, seed
from zhengshu.dataresources.models import DataItem, DataResource
from zhengshu.dataresources.selectors import catalogue_counts, masked_rows, pipeline_schema
from zhengshu.dataresources.tests.helpers import demo_departments, world

DATASET_MANDATORY = ("dct:title", "dct:description")
CATALOGUE_MANDATORY = ("dct:title", "dct:description", "dct:publisher")


class DemoCatalogueTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.p = world()
        demo_departments(cls.p)
        cls.result = seed()

    def test_sizes_and_mix_follow_the_report(self):
        self.assertEqual(DataResource.objects.count(), TARGET_TOTAL)
        counts = catalogue_counts()
        self.assertEqual((counts["shareable"], counts["openable"]), (TARGET_SHAREABLE, TARGET_OPENABLE))
        self.assertGreaterEqual(counts["openable"], 1000)
        self.assertGreaterEqual(len(counts["by_department"]), 15)
        police = DataResource.objects.filter(department__code="HN-GAJ")
        self.assertTrue(police.exists())
        self.assertFalse(police.exclude(open_type=c.OpenType.PROHIBITED).exists())
        self.assertTrue(police.filter(share_type=c.ShareType.NONE).exists())
        self.assertFalse(DataResource.objects.filter(grade="L4").exclude(open_type=c.OpenType.PROHIBITED).exists())
        self.assertTrue(DataResource.objects.exclude(origin=c.Origin.LOCAL).exclude(origin_note="").exists())
        self.assertEqual(seed(), "0 条目录，0 个信息项")  # idempotent

    def test_entries_are_valid_and_their_samples_check(self):
        from zhengshu import identifiers

        for resource in DataResource.objects.order_by("?")[:40]:
            resource.full_clean()
            schema = pipeline_schema(resource.code)
            for row in resource.data_rows:
                for item in schema["items"]:
                    if item["check"] in ("uscc", "idcard") and row.get(item["name"]):
                        self.assertTrue(identifiers.check(row[item["name"]])["valid"], row[item["name"]])
        self.assertFalse(DataItem.objects.filter(labels={}).exists())

    def test_previews_of_demo_data_mask_personal_fields(self):
        resource = DataResource.objects.filter(items__mask_kind="id_number", status="published").exclude(
            open_type=c.OpenType.PROHIBITED).first() or DataResource.objects.filter(items__mask_kind="name").first()
        _items, rows = masked_rows(resource)
        raw = resource.data_rows[0]
        for item in resource.items.exclude(mask_kind=""):
            if item.grade != "L4":
                self.assertNotEqual(rows[0][item.name], raw[item.name])
                self.assertIn("*", rows[0][item.name])

    def test_dcat_catalogue_has_the_mandatory_properties_for_every_dataset(self):
        seen = 0
        url = "/catalog.jsonld"
        while url:
            response = self.client.get(url)
            self.assertEqual(response.status_code, 200)
            self.assertTrue(response["Content-Type"].startswith("application/ld+json"))
            graph = response.json()["@graph"]
            catalogue = next(n for n in graph if n.get("@type") == "dcat:Catalog")
            for prop in CATALOGUE_MANDATORY:
                self.assertTrue(catalogue.get(prop), prop)
            self.assertTrue(catalogue["dct:publisher"]["foaf:name"]["@value"])
            datasets = [n for n in graph if n.get("@type") == "dcat:Dataset"]
            self.assertEqual({d["@id"] for d in datasets}, {d["@id"] for d in catalogue["dcat:dataset"]})
            for record in catalogue["dcat:record"]:
                self.assertTrue(record["dct:modified"] and record["foaf:primaryTopic"]["@id"])
            for dataset in datasets:
                for prop in DATASET_MANDATORY:
                    self.assertTrue(dataset.get(prop, {}).get("@value"), (dataset["@id"], prop))
                self.assertTrue(dataset["dct:publisher"]["foaf:name"]["@value"])
                self.assertTrue(dataset["dcat:theme"]["skos:prefLabel"]["@value"])
                self.assertEqual(len(dataset["dcat:distribution"]), 3)
                for dist in dataset["dcat:distribution"]:
                    self.assertTrue(dist["dcat:accessURL"]["@id"].startswith("http"), dist)
            seen += len(datasets)
            paging = next(n for n in graph if n.get("@type") == "hydra:PagedCollection")
            url = paging.get("hydra:nextPage", "").replace("http://testserver", "")
        self.assertEqual(seen, TARGET_OPENABLE)

    def test_dcat_of_one_dataset_and_access_rights(self):
        resource = DataResource.objects.filter(status="published", open_type="restricted").first()
        graph = self.client.get(f"/open/dataset/{resource.slug}.jsonld").json()["@graph"]
        self.assertEqual(graph[0]["dct:identifier"], resource.code)
        self.assertTrue(graph[0]["dct:accessRights"]["@id"].endswith("/RESTRICTED"))
        self.assertNotIn("dcat:downloadURL", graph[0]["dcat:distribution"][0])  # restricted: no direct download
        closed = DataResource.objects.filter(open_type="prohibited").first()
        self.assertEqual(self.client.get(f"/open/dataset/{closed.slug}.jsonld").status_code, 404)
