"""Logging in under 等保 level 3: lockout, TOTP for admins, idle timeout, one log row per event."""

from datetime import timedelta
from unittest import mock

import pyotp
from django.utils import timezone

from zhengshu.accounts.authn import REFUSED
from zhengshu.accounts.demo import DEMO_PASSWORD, DEMO_TOTP
from zhengshu.core.models import ChangeAction, ChangeLogEntry
from zhengshu.core.testing import PersonaTestCase

LOGIN = "/accounts/login/"


class LoginTests(PersonaTestCase):
    def post(self, username, password, otp=""):
        return self.client.post(LOGIN, {"username": username, "password": password, "otp_code": otp})

    def rows(self, action):
        return ChangeLogEntry.objects.filter(action=action).count()

    def test_it_serves_a_chinese_login_page(self):
        response = self.client.get(LOGIN)
        self.assertContains(response, "登录")
        self.assertContains(response, 'lang="zh-CN"')

    def test_it_logs_in_and_out_with_one_log_row_each(self):
        response = self.post("clerk_a", DEMO_PASSWORD)
        self.assertEqual(response.status_code, 302)
        self.assertEqual(self.rows(ChangeAction.LOGIN), 1)
        self.assertEqual(self.client.get("/").status_code, 200)
        self.client.post("/accounts/logout/")
        self.assertEqual(self.rows(ChangeAction.LOGOUT), 1)
        self.assertEqual(self.client.get("/").status_code, 302)

    def test_it_locks_after_five_failures_and_unlocks_after_thirty_minutes(self):
        for _ in range(5):
            self.assertContains(self.post("clerk_a", "wrong-Password1"), REFUSED, status_code=400)
        self.assertEqual(self.rows(ChangeAction.LOGIN_FAILED), 4)
        self.assertEqual(self.rows(ChangeAction.LOCKOUT), 1)
        # The sixth attempt is refused although the password is right.
        self.assertContains(self.post("clerk_a", DEMO_PASSWORD), REFUSED, status_code=400)
        self.assertEqual(self.rows(ChangeAction.LOGIN), 0)
        later = timezone.now() + timedelta(minutes=31)
        with mock.patch("django.utils.timezone.now", return_value=later):
            self.assertEqual(self.post("clerk_a", DEMO_PASSWORD).status_code, 302)
        self.assertEqual(self.rows(ChangeAction.LOGIN), 1)

    def test_it_gives_unknown_users_the_same_message(self):
        unknown = self.post("nobody", "wrong-Password1")
        wrong = self.post("clerk_a", "wrong-Password1")
        self.assertEqual(unknown.status_code, wrong.status_code)
        self.assertContains(unknown, REFUSED, status_code=400)
        self.assertContains(wrong, REFUSED, status_code=400)

    def test_it_requires_totp_for_every_admin_role(self):
        for username in ("sysadmin", "secadmin", "auditadmin"):
            self.client.logout()
            self.assertEqual(self.post(username, DEMO_PASSWORD).status_code, 400, username)
            self.assertEqual(self.post(username, DEMO_PASSWORD, "000000").status_code, 400, username)
            code = pyotp.TOTP(DEMO_TOTP[username]).now()
            self.assertEqual(self.post(username, DEMO_PASSWORD, code).status_code, 302, username)

    def test_it_logs_out_after_the_idle_limit(self):
        self.post("clerk_a", DEMO_PASSWORD)
        session = self.client.session
        session["zs_last_seen"] = (timezone.now() - timedelta(minutes=31)).isoformat()
        session.save()
        response = self.client.get("/")
        self.assertEqual(response.status_code, 302)
        self.assertIn(LOGIN, response["Location"])
        self.assertEqual(ChangeLogEntry.objects.filter(action=ChangeAction.LOGOUT, message__contains="空闲").count(), 1)

    def test_it_gives_admins_a_shorter_idle_limit(self):
        self.post("sysadmin", DEMO_PASSWORD, pyotp.TOTP(DEMO_TOTP["sysadmin"]).now())
        session = self.client.session
        session["zs_last_seen"] = (timezone.now() - timedelta(minutes=16)).isoformat()
        session.save()
        self.assertEqual(self.client.get("/").status_code, 302)

    def test_it_sends_an_expired_password_to_the_change_page(self):
        self.post("clerk_a", DEMO_PASSWORD)
        self.p.clerk_a.__class__.objects.filter(pk=self.p.clerk_a.pk).update(
            password_changed_at=timezone.now() - timedelta(days=91))
        response = self.client.get("/")
        self.assertEqual(response.status_code, 302)
        self.assertIn("/accounts/me/password/", response["Location"])
