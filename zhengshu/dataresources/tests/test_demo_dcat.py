"""The demo-sized catalogue, seeded once and served by a live server: its sizes and mix (the 2023 report),
the real ``ckanapi`` client against the CKAN-compatible API, the DCAT-AP 3.0 JSON-LD of every dataset,
and page queries that do not grow with the number of rows shown (no N+1)."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from zhengshu.dataresources import choices as c
from zhengshu.dataresources.demo_data import TARGET_OPENABLE, TARGET_SHAREABLE, TARGET_TOTAL, seed
from zhengshu.dataresources.models import DataItem, DataResource
from zhengshu.dataresources.selectors import catalogue_counts, masked_rows, pipeline_schema
from zhengshu.dataresources.tests.helpers import SeededCatalogueTestCase

DATASET_MANDATORY = ("dct:title", "dct:description")
CATALOGUE_MANDATORY = ("dct:title", "dct:description", "dct:publisher")


class DemoCatalogueTests(SeededCatalogueTestCase):
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
        self.assertTrue(self.seeded.startswith(f"{TARGET_TOTAL} 条目录"), self.seeded)
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

    def test_the_ckanapi_client_reads_the_catalogue(self):
        import ckanapi

        ckan = ckanapi.RemoteCKAN(self.live_server_url, user_agent="zhengshu-test")
        self.addCleanup(ckan.close)  # end keep-alive connections while the server still shares its database

        status = ckan.action.status_show()
        self.assertTrue(status["ckan_version"].startswith("2."))

        result = ckan.action.package_search(q="*:*", rows=5, **{"facet.field": ["organization", "groups", "res_format",
                                                                                 "tags"], "facet.limit": -1})
        self.assertEqual(result["count"], TARGET_OPENABLE)
        self.assertGreaterEqual(result["count"], 1000)
        self.assertEqual(len(result["results"]), 5)
        facets = result["search_facets"]
        self.assertEqual(sum(i["count"] for i in facets["organization"]["items"]), TARGET_OPENABLE)
        self.assertEqual(sum(i["count"] for i in facets["groups"]["items"]), TARGET_OPENABLE)
        self.assertEqual({i["name"] for i in facets["res_format"]["items"]}, {"CSV", "XLSX", "JSON"})
        self.assertFalse(any(i["name"] == "hn-gaj" for i in facets["organization"]["items"]))  # police: none open
        sjj = next(i for i in facets["organization"]["items"] if i["name"] == "hn-sjj")
        self.assertEqual(sjj["display_name"], "海宁市市场监督管理局")

        filtered = ckan.action.package_search(fq="organization:hn-sjj", rows=0)
        self.assertEqual(filtered["count"], sjj["count"])
        page2 = ckan.action.package_search(fq="organization:hn-sjj", rows=3, start=3, sort="name asc")
        page1 = ckan.action.package_search(fq="organization:hn-sjj", rows=6, sort="name asc")
        self.assertEqual([r["name"] for r in page2["results"]], [r["name"] for r in page1["results"][3:]])

        chinese = ckan.action.package_search(q="医疗机构", rows=10)
        self.assertGreater(chinese["count"], 0)
        self.assertIn("医疗机构", chinese["results"][0]["title"])
        self.assertLess(chinese["count"], TARGET_OPENABLE)

        first = result["results"][0]
        shown = ckan.action.package_show(id=first["name"])
        self.assertEqual((shown["id"], shown["title"]), (first["id"], first["title"]))
        self.assertEqual(ckan.action.package_show(id=first["id"])["name"], first["name"])
        self.assertEqual(shown["num_resources"], 3)
        self.assertTrue(shown["organization"]["title"])
        resource = ckan.action.resource_show(id=shown["resources"][0]["id"])
        self.assertEqual(resource["package_id"], shown["id"])

        orgs = ckan.action.organization_list()
        self.assertIn("hn-sjj", orgs)
        self.assertNotIn("hn-gaj", orgs)
        full = ckan.action.organization_list(all_fields=True, sort="packages desc")
        self.assertEqual(full[0]["package_count"], max(o["package_count"] for o in full))
        self.assertEqual(ckan.action.organization_show(id="hn-sjj")["package_count"], sjj["count"])
        self.assertIn("market", ckan.action.group_list())
        self.assertTrue(ckan.action.tag_list(query="企业"))
        self.assertEqual(len(ckan.action.package_list(limit=10, offset=5)), 10)

        with self.assertRaises(ckanapi.NotFound):
            ckan.action.package_show(id="999999-000000")
        closed = DataResource.objects.filter(open_type="prohibited", status="published").first()
        with self.assertRaises(ckanapi.NotFound):  # 禁止开放 is not in the open catalogue
            ckan.action.package_show(id=closed.slug)
        with self.assertRaises(ckanapi.ValidationError):
            ckan.action.package_show()
        with self.assertRaises(ckanapi.SearchQueryError):
            ckan.action.package_search(sort="nonsense desc")

        get_only = ckanapi.RemoteCKAN(self.live_server_url, get_only=True)
        self.addCleanup(get_only.close)
        self.assertEqual(get_only.action.organization_list(all_fields=False), orgs)
        self.assertEqual(get_only.action.package_search(q="医疗机构", rows=0)["count"], chinese["count"])

    def queries(self, url, **params) -> int:
        with CaptureQueriesContext(connection) as ctx:
            response = self.client.get(url, params)
        self.assertEqual(response.status_code, 200, url)
        return len(ctx.captured_queries)

    def test_page_queries_do_not_grow_with_the_rows_shown(self):
        from zhengshu.core.testing import login

        from zhengshu.dataresources.selectors import open_datasets, search

        code = open_datasets().order_by("code").first().code
        self.assertEqual(search(open_datasets(), code).count(), 1)
        self.assertGreater(search(open_datasets(), "企业").count(), 20)
        # the portal's search: a page of 20 results costs what a page of 1 costs
        many = self.queries("/open/datasets/", q="企业")
        one = self.queries("/open/datasets/", q=code)
        self.assertEqual(many, one)
        self.assertLessEqual(many, 12)
        self.assertLessEqual(self.queries("/open/"), 12)
        # the CKAN search: 100 packages cost what 1 costs
        self.assertEqual(self.queries("/api/3/action/package_search", rows=100),
                         self.queries("/api/3/action/package_search", rows=1))
        # the staff catalogue list of the data office (the whole city's 1,800 entries)
        login(self.client, self.p.dataofficer)
        self.assertEqual(self.queries("/catalog/resources/"),
                         self.queries("/catalog/resources/", q=code))
