"""The CKAN-compatible Action API, driven by the real ``ckanapi`` client against a running server,
on the demo-sized catalogue (1,800 entries, 1,142 open)."""

from django.db import connection
from django.test import LiveServerTestCase, TestCase

from zhengshu.dataresources.demo_data import TARGET_OPENABLE, seed
from zhengshu.dataresources.models import DataResource
from zhengshu.dataresources.tests.helpers import demo_departments, published_resource, world


def _triggers(create: bool) -> None:
    from importlib import import_module

    migration = import_module("zhengshu.core.migrations.0002_changelog_append_only")
    with connection.cursor() as cursor:
        for sql in migration.statements(connection.vendor, create=create):
            cursor.execute(sql)


class CkanapiClientTests(LiveServerTestCase):
    host = "127.0.0.1"

    def _fixture_teardown(self):
        # The change log refuses DELETE/TRUNCATE; the test database is emptied with its triggers off.
        _triggers(create=False)
        try:
            super()._fixture_teardown()
        finally:
            _triggers(create=True)

    def test_the_ckanapi_client_reads_the_catalogue(self):
        import ckanapi

        p = world()
        demo_departments(p)
        seed()
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


class CkanEnvelopeTests(TestCase):
    """The raw HTTP shape of the API (both paths, errors, POST without a CSRF token)."""

    @classmethod
    def setUpTestData(cls):
        cls.p = world()
        cls.resource = published_resource(cls.p)

    def test_both_paths_and_the_envelope(self):
        for prefix in ("/api/3/action/", "/api/action/"):
            body = self.client.get(prefix + "package_list").json()
            self.assertEqual(set(body), {"help", "success", "result"})
            self.assertEqual(body["result"], [self.resource.slug])
        response = self.client.post("/api/action/package_show", {"id": self.resource.slug},
                                    content_type="application/json")
        self.assertEqual(response.status_code, 200)
        extras = {e["key"]: e["value"] for e in response.json()["result"]["extras"]}
        self.assertEqual((extras["resource_code"], extras["grade"]), (self.resource.code, "L3"))

    def test_errors_as_ckan_gives_them(self):
        response = self.client.get("/api/3/action/package_show", {"id": "nothing-here"})
        self.assertEqual(response.status_code, 404)
        body = response.json()
        self.assertEqual((body["success"], body["error"]["__type"]), (False, "Not Found Error"))
        response = self.client.get("/api/3/action/no_such_action")
        self.assertEqual(response.status_code, 400)
        response = self.client.get("/api/3/action/package_search", {"rows": "many"})
        self.assertEqual((response.status_code, response.json()["error"]["__type"]), (409, "Validation Error"))
        response = self.client.get("/api/3/action/package_search", {"fq": "owner:x"})
        self.assertEqual(response.json()["error"]["__type"], "Search Query Error")
        self.assertEqual(self.client.get("/api/3/action/package_search", {"rows": 5000}).status_code, 200)
