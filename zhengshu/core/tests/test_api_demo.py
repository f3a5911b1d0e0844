"""The API's schema, token auth and error shape; the demo data and its audit chain; TOTP binding."""

import json
from io import StringIO

import pyotp
from django.core.management import call_command
from rest_framework.authtoken.models import Token

from zhengshu.accounts.models import User
from zhengshu.core.testing import PersonaTestCase
from zhengshu.orgs.models import Department, Division


class ApiTests(PersonaTestCase):
    def test_it_publishes_an_openapi_schema(self):
        self.as_user("clerk_a")
        response = self.client.get("/api/v1/schema/", HTTP_ACCEPT="application/json")
        self.assertEqual(response.status_code, 200)
        schema = json.loads(response.content)
        self.assertTrue(schema["openapi"].startswith("3."))
        self.assertIn("/api/v1/orgs/departments/", schema["paths"])

    def test_it_accepts_token_auth_with_the_same_scope(self):
        token = Token.objects.create(user=self.p.outsider_b)
        self.client.logout()
        auth = {"HTTP_AUTHORIZATION": f"Token {token.key}"}
        self.assertEqual(self.client.get("/api/v1/orgs/departments/", **auth).status_code, 200)
        dept_a_user = self.p.clerk_a
        response = self.client.get(f"/api/v1/accounts/users/{dept_a_user.pk}/", **auth)
        self.assertEqual(response.status_code, 404)
        self.assertEqual(response.json()["detail"], "对象不存在，或不在您的数据范围内")

    def test_it_refuses_anonymous_api_calls_in_the_error_shape(self):
        self.client.logout()
        response = self.client.get("/api/v1/orgs/departments/")
        self.assertIn(response.status_code, (401, 403))
        self.assertEqual(set(response.json()), {"detail", "errors"})


class TotpSetupTests(PersonaTestCase):
    def test_it_binds_an_authenticator_then_requires_it_at_login(self):
        self.as_user("colleague_a")
        self.client.post("/accounts/me/totp/", {"renew": "1"})
        user = User.objects.get(pk=self.p.colleague_a.pk)
        self.assertFalse(user.totp_confirmed)
        self.assertEqual(self.client.post("/accounts/me/totp/", {"code": "000000"}).status_code, 200)
        code = pyotp.TOTP(user.totp_secret).now()
        self.assertEqual(self.client.post("/accounts/me/totp/", {"code": code}).status_code, 302)
        self.client.post("/accounts/logout/")
        refused = self.client.post("/accounts/login/", {"username": "colleague_a", "password": "Haining#2026"})
        self.assertEqual(refused.status_code, 400)


class DemoTests(PersonaTestCase):
    @classmethod
    def setUpTestData(cls):  # the demo builds its own world
        pass

    def test_seed_demo_is_idempotent_and_its_audit_chain_verifies(self):
        call_command("seed-demo".replace("-", "_"), stdout=StringIO())
        counts = (Division.objects.count(), Department.objects.count(), User.objects.count())
        self.assertEqual(Division.objects.get(code="330481001").name, "硖石街道")
        self.assertEqual(Department.objects.filter(level="town").count(), 12)
        self.assertTrue(Department.objects.filter(name="海宁市政务服务和数据资源管理办公室").exists())
        call_command("seed_demo", stdout=StringIO())
        self.assertEqual((Division.objects.count(), Department.objects.count(), User.objects.count()), counts)
        out = StringIO()
        call_command("audit", "verify", stdout=out)
        self.assertTrue(json.loads(out.getvalue())["ok"])


class HomeTests(PersonaTestCase):
    def test_it_shows_staff_their_own_recent_actions_and_the_system_admin_none(self):
        from zhengshu.core.models import ChangeAction, record_change

        record_change(action=ChangeAction.SYSTEM, object_repr="别人的操作", actor=self.p.outsider_b)
        record_change(action=ChangeAction.SYSTEM, object_repr="自己的操作", actor=self.p.clerk_a)
        self.as_user("clerk_a")
        shown = [e.object_repr for e in self.client.get("/").context["recent_changes"]]
        self.assertIn("自己的操作", shown)
        self.assertNotIn("别人的操作", shown)
        self.as_user("sysadmin")
        self.assertEqual(self.client.get("/").context["recent_changes"], [])
        self.as_user("auditadmin")
        self.assertIn("别人的操作", [e.object_repr for e in self.client.get("/").context["recent_changes"]])
