"""The raw HTTP shape of the CKAN-compatible Action API. The real ``ckanapi`` client against a running
server on the demo-sized catalogue is in ``test_demo_dcat.DemoCatalogueTests`` (seeded once)."""

from django.test import TestCase

from zhengshu.dataresources.tests.helpers import published_resource, world


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
        self.assertEqual(response.status_code, 400)  # CKAN: an invalid query is a 400, not a 409
        error = response.json()["error"]
        self.assertEqual(error["__type"], "Search Query Error")
        self.assertTrue(error["message"].startswith("Search Query is invalid: "), error)
        response = self.client.get("/api/3/action/package_search", {"facet.field": '["nope"]'})
        self.assertEqual((response.status_code, response.json()["error"]["__type"]), (400, "Search Query Error"))
        self.assertEqual(self.client.get("/api/3/action/package_search", {"rows": 5000}).status_code, 200)

    def test_date_ranges_of_incremental_harvesting(self):
        def count(fq):
            response = self.client.get("/api/3/action/package_search", {"fq": fq, "rows": 0})
            self.assertEqual(response.status_code, 200, response.content)
            return response.json()["result"]["count"]

        self.assertEqual(count("metadata_modified:[2000-01-01T00:00:00Z TO *]"), 1)
        self.assertEqual(count("metadata_modified:[* TO 2000-01-01T00:00:00.000Z]"), 0)
        self.assertEqual(count("organization:hn-sjj metadata_created:[2000-01-01 TO 2999-12-31]"), 1)
        self.assertEqual(count("-metadata_modified:[2000-01-01T00:00:00Z TO *]"), 0)
        for bad in ("metadata_modified:[yesterday TO *]", "metadata_modified:[2024-13-01T00:00:00Z TO *]",
                    "metadata_modified:2024-01-01"):
            response = self.client.get("/api/3/action/package_search", {"fq": bad})
            self.assertEqual((response.status_code, response.json()["error"]["__type"]), (400, "Search Query Error"),
                             bad)
