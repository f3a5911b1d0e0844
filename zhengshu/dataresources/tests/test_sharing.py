"""Sharing between departments (D7), end to end: request → provider → data office → credential;
access within the grant; refusals (outside the grant, expired, revoked, withdrawn, 月停机) all logged."""

from datetime import timedelta
from unittest import mock

from django.core.exceptions import PermissionDenied
from django.test import TestCase
from django.utils import timezone

from zhengshu.core.services import ServiceError
from zhengshu.core.testing import login
from zhengshu.dataresources import choices as c
from zhengshu.dataresources import services
from zhengshu.dataresources.models import AccessLog, ShareGrant, ShareRequest
from zhengshu.dataresources.tests.helpers import published_resource, world


class SharingFlowTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.p = world()
        cls.resource = published_resource(cls.p)
        cls.url = f"/api/v1/catalog/shared/{cls.resource.slug}/"

    def request_share(self, items=("uscc", "ent_name")):
        today = timezone.localdate()
        return services.request_share(actor=self.p.outsider_b, resource=self.resource, purpose="核验建筑企业资质申报主体",
                                      item_names=list(items), period_start=today,
                                      period_end=today + timedelta(days=180), basis="建筑业企业资质管理规定")

    def approved(self):
        share = self.request_share()
        services.provider_review_share(actor=self.p.clerk_a, request=share, approve=True, opinion="同意")
        _share, secret = services.office_review_share(actor=self.p.dataofficer, request=share, approve=True)
        return share, secret

    def get(self, secret, items="", url=None):
        query = f"?items={items}" if items else ""
        return self.client.get((url or self.url) + query, HTTP_AUTHORIZATION=f"Share {secret}")

    def test_end_to_end_with_scope_expiry_and_revocation(self):
        share = self.request_share()
        self.assertEqual(share.status, c.ShareRequestStatus.SUBMITTED)
        with self.assertRaises(PermissionDenied):  # the requester cannot approve as provider
            services.provider_review_share(actor=self.p.outsider_b, request=share, approve=True)
        with self.assertRaises(ServiceError):  # the office waits for the provider
            services.office_review_share(actor=self.p.dataofficer, request=share, approve=True)
        services.provider_review_share(actor=self.p.clerk_a, request=share, approve=True, opinion="同意共享")
        with self.assertRaises(PermissionDenied):  # the provider is not the data office
            services.office_review_share(actor=self.p.clerk_a, request=share, approve=True)
        share, secret = services.office_review_share(actor=self.p.dataofficer, request=share, approve=True)
        self.assertEqual(share.status, c.ShareRequestStatus.APPROVED)
        grant = ShareGrant.objects.get(request=share)
        self.assertNotIn(secret, str(ShareGrant.objects.filter(pk=grant.pk).values().get()))  # only a digest kept

        response = self.get(secret)
        self.assertEqual(response.status_code, 200, response.content)
        body = response.json()
        self.assertEqual(body["items"], ["uscc", "ent_name"])
        self.assertEqual(body["rows"][0], {"uscc": "91330481MA2B00000Y", "ent_name": "海宁市示范皮革有限公司"})

        response = self.get(secret, items="uscc,legal_rep_id")  # outside the grant
        self.assertEqual(response.status_code, 403)
        self.assertIn("legal_rep_id", response.json()["detail"])
        other = published_resource(self.p, sequence="000009")
        response = self.get(secret, url=f"/api/v1/catalog/shared/{other.slug}/")  # another resource
        self.assertEqual(response.status_code, 403)
        self.assertEqual(self.get("zs_forged").status_code, 401)

        ShareGrant.objects.filter(pk=grant.pk).update(expires_on=timezone.localdate() - timedelta(days=1))
        response = self.get(secret)
        self.assertEqual(response.status_code, 403)
        self.assertIn("到期", response.json()["detail"])
        ShareGrant.objects.filter(pk=grant.pk).update(expires_on=timezone.localdate() + timedelta(days=1))
        self.assertEqual(self.get(secret).status_code, 200)

        with self.assertRaises(PermissionDenied):
            services.revoke_grant(actor=self.p.clerk_a, grant=grant, reason="不再需要")
        services.revoke_grant(actor=self.p.dataofficer, grant=grant, reason="申请部门职责调整")
        response = self.get(secret)
        self.assertEqual(response.status_code, 403)
        self.assertIn("撤销", response.json()["detail"])

        logs = list(AccessLog.objects.order_by("time", "id").values_list("allowed", "resource_code"))
        self.assertEqual([a for a, _code in logs], [True, False, False, False, False, True, False])
        refused = AccessLog.objects.filter(allowed=False, grant=grant).first()
        self.assertEqual((refused.department, refused.provider), (self.p.dept_b, self.p.dept_a))
        self.assertEqual(AccessLog.objects.filter(allowed=True).order_by("id").first().item_names, ["uscc", "ent_name"])

    def test_shutdown_and_withdrawal_stop_access(self):
        _share, secret = self.approved()
        with mock.patch("zhengshu.dataresources.access.is_shut_down", return_value=True):
            response = self.get(secret)
        self.assertEqual(response.status_code, 403)
        self.assertIn("月停机", response.json()["detail"])
        self.assertTrue(AccessLog.objects.filter(allowed=False, reason__contains="月停机").exists())
        services.withdraw_resource(actor=self.p.dataofficer, resource=self.resource, reason="数据停止更新")
        self.assertEqual(self.get(secret).status_code, 403)

    def test_an_approved_shutdown_order_of_the_governance_app_refuses_access(self):
        from zhengshu.datagov.choices import ShutdownStatus, ShutdownTarget
        from zhengshu.datagov.models import ShutdownOrder

        _share, secret = self.approved()
        today = timezone.localdate()
        order = ShutdownOrder.objects.create(
            department=self.p.dept_a, number="TJ-TEST-0001", target_kind=ShutdownTarget.RESOURCE,
            resource_code=self.resource.code, target_name=self.resource.name, month=today.replace(day=1),
            reason="当月数据质量不达标", proposed_on=today, status=ShutdownStatus.PROPOSED)
        self.assertEqual(self.get(secret).status_code, 200)  # proposed, not yet in force
        ShutdownOrder.objects.filter(pk=order.pk).update(status=ShutdownStatus.APPROVED)
        response = self.get(secret)
        self.assertEqual(response.status_code, 403)
        self.assertIn("月停机", response.json()["detail"])
        self.assertEqual(list(AccessLog.objects.order_by("id").values_list("allowed", flat=True)), [True, False])

    def test_a_failing_shutdown_check_refuses_and_is_logged(self):
        _share, secret = self.approved()
        with mock.patch("zhengshu.dataresources.access.is_shut_down", side_effect=ImportError("datagov")), \
                self.assertLogs("zhengshu.dataresources.access", "ERROR"):
            response = self.get(secret)
        self.assertEqual(response.status_code, 503)
        self.assertIn("无法确认", response.json()["detail"])
        self.assertFalse(AccessLog.objects.get().allowed)

    def test_the_shutdown_check_asks_the_governance_app(self):
        from zhengshu.dataresources import access

        fake = mock.Mock(is_shut_down=mock.Mock(return_value=True))
        with mock.patch.dict("sys.modules", {"zhengshu.datagov.selectors": fake}):
            self.assertTrue(access.is_shut_down(self.resource.code))
        fake.is_shut_down.assert_called_once_with(self.resource.code)

    def test_requests_are_checked(self):
        today = timezone.localdate()
        cases = [
            ({"item_names": ["nope"]}, "信息项无效"),
            ({"purpose": "看"}, "用途"),
            ({"period_end": today - timedelta(days=1)}, "期限"),
            ({"period_end": today + timedelta(days=2000)}, "三年"),
        ]
        for change, message in cases:
            kwargs = {"resource": self.resource, "purpose": "核验建筑企业资质", "item_names": ["uscc"],
                      "period_start": today, "period_end": today + timedelta(days=30), **change}
            with self.subTest(message), self.assertRaisesMessage(ServiceError, message):
                services.request_share(actor=self.p.outsider_b, **kwargs)
        with self.assertRaisesMessage(ServiceError, "本部门"):
            services.request_share(actor=self.p.colleague_a, resource=self.resource, purpose="核验企业信息",
                                   item_names=["uscc"], period_start=today, period_end=today + timedelta(days=3))
        closed = published_resource(self.p, sequence="000005", share_type=c.ShareType.NONE, share_condition="法律禁止")
        with self.assertRaisesMessage(ServiceError, "不予共享"):
            services.request_share(actor=self.p.outsider_b, resource=closed, purpose="核验企业信息",
                                   item_names=["uscc"], period_start=today, period_end=today + timedelta(days=3))
        self.assertFalse(ShareRequest.objects.exists())

    def test_the_pages_walk_the_flow_and_show_the_secret_once(self):
        today = timezone.localdate()
        login(self.client, self.p.outsider_b)
        response = self.client.post(f"/catalog/resources/{self.resource.pk}/share/", {
            "purpose": "核验建筑企业资质申报主体", "item_names": ["uscc"], "period_start": today.isoformat(),
            "period_end": (today + timedelta(days=30)).isoformat()})
        self.assertEqual(response.status_code, 302)
        share = ShareRequest.objects.get()
        self.assertEqual(self.client.post(f"/catalog/sharerequests/{share.pk}/",
                                          {"stage": "provider", "approve": "1"}).status_code, 403)
        share.refresh_from_db()
        self.assertEqual(share.status, c.ShareRequestStatus.SUBMITTED)  # the requester may not decide
        login(self.client, self.p.town_clerk)  # another department sees nothing of it
        self.assertEqual(self.client.get(f"/catalog/sharerequests/{share.pk}/").status_code, 404)
        login(self.client, self.p.clerk_a)
        self.assertContains(self.client.get(f"/catalog/sharerequests/{share.pk}/"), "提供部门审核")
        self.client.post(f"/catalog/sharerequests/{share.pk}/", {"stage": "provider", "approve": "1"})
        login(self.client, self.p.dataofficer)
        response = self.client.post(f"/catalog/sharerequests/{share.pk}/", {"stage": "office", "approve": "1"},
                                    follow=True)
        import re

        secret = re.search(r"zs_[A-Za-z0-9_-]{30,}", response.content.decode()).group(0)
        grant = ShareGrant.objects.get()
        self.assertEqual(grant.key_digest, ShareGrant.digest(secret))
        self.assertContains(self.client.get(f"/catalog/sharegrants/{grant.pk}/"), "撤销授权")
        login(self.client, self.p.outsider_b)
        page = self.client.get(f"/catalog/sharegrants/{grant.pk}/")
        self.assertEqual(page.status_code, 200)
        self.assertNotContains(page, secret)
        self.assertContains(page, grant.key_prefix)
        self.assertNotContains(page, "撤销授权")
        self.assertEqual(self.get(secret).status_code, 200)
