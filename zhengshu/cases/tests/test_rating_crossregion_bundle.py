"""好差评 with rectification; 异地代收代办 end to end; 一件事 with a merged form; material reuse."""

from datetime import date

from django.test import TestCase

from zhengshu.cases import selectors, services
from zhengshu.cases.choices import CaseStatus, ProxyStage, RectificationStatus
from zhengshu.cases.models import Agreement, AgreementItem, Bundle, BundleItem, Parameter, PartnerRegion
from zhengshu.cases.tests.factories import PDF, PNG, applicant, at, make_item, personas
from zhengshu.core.services import ServiceError
from zhengshu.orgs.models import Division


def concluded_case(p, item, seq=1, when="2024-04-01 09:00"):
    case = services.submit_application(actor=p.clerk_a, item=item, **applicant(seq), at=at(when))
    services.accept(actor=p.clerk_a, case=case, at=at(when))
    services.decide(actor=p.clerk_a, case=case, decision="granted", at=at(when))
    services.conclude(actor=p.clerk_a, case=case, at=at(when))
    return case


class RatingTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.p = personas()
        cls.item = make_item(cls.p.dept_a)

    def test_a_bad_rating_opens_a_rectification_due_in_15_working_days(self):
        case = concluded_case(self.p, self.item)
        rating = services.rate_case(actor=self.p.colleague_a, case=case, level=5, channel="4", comment="等待时间太长",
                                    at=at("2024-04-01 10:00"))
        self.assertEqual(rating.grade, "差评")
        task = rating.rectification
        self.assertEqual(task.due_date, date(2024, 4, 23))  # 清明 04-04..06, make-up Sunday 04-07
        self.assertEqual(task.department_id, case.department_id)
        with self.assertRaisesMessage(ServiceError, "至少有一条回访记录"):
            services.close_rectification(actor=self.p.clerk_a, rectification=task, status="done", measures="增设窗口")
        services.add_revisit(actor=self.p.clerk_a, rectification=task, content="电话回访，说明已增设窗口",
                             satisfied=True)
        services.close_rectification(actor=self.p.clerk_a, rectification=task, status="done", measures="增设窗口")
        task.refresh_from_db()
        self.assertEqual(task.status, RectificationStatus.DONE)

    def test_good_ratings_open_nothing_and_the_period_is_configurable(self):
        good = services.rate_case(actor=self.p.colleague_a, case=concluded_case(self.p, self.item, 2), level=2,
                                  channel="1")
        self.assertEqual(good.grade, "好评")
        self.assertFalse(hasattr(good, "rectification") and good.rectification)
        Parameter.objects.create(key="rectification_workdays", name="差评整改期限", value="5")
        bad = services.rate_case(actor=self.p.colleague_a, case=concluded_case(self.p, self.item, 3), level=4,
                                 channel="1", at=at("2024-04-01 10:00"))
        self.assertEqual(bad.rectification.due_date, date(2024, 4, 9))

    def test_one_rating_per_case_and_codes_from_the_table(self):
        case = concluded_case(self.p, self.item, 4)
        with self.assertRaisesMessage(ServiceError, "您经办过办件"):  # the clerk who handled it may not rate it
            services.rate_case(actor=self.p.clerk_a, case=case, level=1, channel="1")
        with self.assertRaisesMessage(ServiceError, "评价渠道代码“99”不在代码表"):
            services.rate_case(actor=self.p.colleague_a, case=case, level=1, channel="99")
        with self.assertRaisesMessage(ServiceError, "满意度只能是"):
            services.rate_case(actor=self.p.colleague_a, case=case, level=6, channel="1")
        services.rate_case(actor=self.p.colleague_a, case=case, level=1, channel="1")
        with self.assertRaisesMessage(ServiceError, "当前状态为“已评价”"):
            services.rate_case(actor=self.p.colleague_a, case=case, level=1, channel="1")


class CrossRegionTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.p = personas()
        cls.item = make_item(cls.p.dept_a, scope="2")
        sc = Division.objects.create(code="510000", name="四川省", level="province")
        Division.objects.create(code="511602", name="广安区", level="county", parent=sc)
        cls.region = PartnerRegion.objects.create(division_id="511602", province_code="510000", province_name="四川省")
        agreement = Agreement.objects.create(region=cls.region, title="海宁—广安区异地通办协议",
                                             signed_on=date(2023, 3, 1))
        AgreementItem.objects.create(agreement=agreement, item=cls.item, modes=["proxy", "full_online"])

    def test_a_proxy_case_end_to_end(self):
        clerk = self.p.clerk_a
        with self.assertRaisesMessage(ServiceError, "形式审查和身份核验"):
            services.receive_proxy_application(actor=clerk, item=self.item, region=self.region,
                                               receiving_window="广安区政务服务中心跨省通办窗口", **applicant(1),
                                               form_review_ok=True, identity_checked=False)
        case = services.receive_proxy_application(
            actor=clerk, item=self.item, region=self.region, receiving_window="广安区政务服务中心跨省通办窗口",
            **applicant(1), form_review_ok=True, identity_checked=True, at=at("2024-05-06 09:00"))
        self.assertEqual((case.channel, case.cross_region_mode), ("5", "proxy"))
        with self.assertRaisesMessage(ServiceError, "须填写物流单号"):
            services.proxy_handoff(actor=clerk, case=case, step="send")
        services.proxy_handoff(actor=clerk, case=case, step="send", logistics_no="SF1234567890",
                               at=at("2024-05-06 16:00"))
        services.proxy_handoff(actor=clerk, case=case, step="arrive", at=at("2024-05-08 10:00"))
        services.accept(actor=clerk, case=case, at=at("2024-05-08 10:05"))
        with self.assertRaisesMessage(ServiceError, "尚未办结"):
            services.proxy_handoff(actor=clerk, case=case, step="return", logistics_no="EMS1")
        services.decide(actor=clerk, case=case, decision="granted", at=at("2024-05-10 10:00"))
        services.conclude(actor=clerk, case=case, result_number="JY1330481000001", at=at("2024-05-10 11:00"))
        services.proxy_handoff(actor=clerk, case=case, step="return", logistics_no="EMS9876543210",
                               at=at("2024-05-10 15:00"))
        services.deliver(actor=clerk, case=case, method="post", logistics_no="EMS9876543210",
                         at=at("2024-05-10 15:00"))
        services.proxy_handoff(actor=clerk, case=case, step="collect", at=at("2024-05-13 09:00"))
        case.refresh_from_db()
        self.assertEqual(case.status, CaseStatus.DELIVERED)
        self.assertEqual(case.proxy.stage, ProxyStage.COLLECTED)
        self.assertEqual([e.action for e in case.events.all()],
                         ["submit", "proxy_receive", "proxy_send", "proxy_arrive", "accept", "decide", "conclude",
                          "proxy_return", "deliver", "proxy_collect"])
        from zhengshu.cases.selectors import region_figures

        figures = region_figures(2024)
        self.assertEqual([(r["region"], r["cases"], r["concluded"]) for r in figures], [("四川省广安区", 1, 1)])

    def test_items_outside_the_agreement_are_refused(self):
        other = make_item(self.p.dept_a, suffix=2, name="其他事项")
        with self.assertRaisesMessage(ServiceError, "不在与四川省广安区的协议中"):
            services.receive_proxy_application(actor=self.p.clerk_a, item=other, region=self.region,
                                               receiving_window="窗口", **applicant(1), form_review_ok=True,
                                               identity_checked=True)


class BundleAndVaultTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.p = personas()
        cls.shop = make_item(cls.p.dept_a, 1, name="食品经营许可", materials=(("营业执照", False), ("身份证", False)))
        cls.sign = make_item(cls.p.dept_a, 2, name="户外招牌设置", materials=(("身份证", False), ("招牌效果图", False)))
        cls.bundle = Bundle.objects.create(code="YJS-KC", name="开餐馆一件事", department=cls.p.dept_a)
        BundleItem.objects.create(bundle=cls.bundle, item=cls.shop, sort=1, fields=["申请人", "经营场所", "联系电话"])
        BundleItem.objects.create(bundle=cls.bundle, item=cls.sign, sort=2, fields=["申请人", "招牌尺寸", "经营场所"])

    def test_one_merged_form_and_one_submission_with_linked_sub_cases(self):
        form = selectors.merged_form(self.bundle)
        self.assertEqual(list(form["fields"]), ["申请人", "经营场所", "联系电话", "招牌尺寸"])
        self.assertEqual(list(form["materials"]), ["营业执照", "身份证", "招牌效果图"])
        self.assertEqual(form["materials"]["身份证"]["items"], ["食品经营许可", "户外招牌设置"])
        citizen = self.p.citizen
        photo = services.add_vault_material(actor=citizen, owner_id_number=citizen.id_number, name="身份证",
                                            filename="id.png", content=PNG, source="照片全域通",
                                            valid_until=date(2030, 1, 1))
        with self.assertRaisesMessage(ServiceError, "合并表单缺少字段：招牌尺寸"):
            services.submit_bundle(actor=citizen, bundle=self.bundle, applicant_name="张伟",
                                   applicant_id_number=citizen.id_number,
                                   form_data={"申请人": "张伟", "经营场所": "海宁市海洲街道", "联系电话": "139"})
        application = services.submit_bundle(
            actor=citizen, bundle=self.bundle, applicant_name="张伟", applicant_id_number=citizen.id_number,
            form_data={"申请人": "张伟", "经营场所": "海宁市海洲街道", "联系电话": "139", "招牌尺寸": "3×1米"},
            files=[("营业执照", "yyzz.pdf", PDF), ("招牌效果图", "zp.png", PNG)], vault_items=[photo])
        cases = list(application.cases.order_by("item__basic_code"))
        self.assertEqual([c.item for c in cases], [self.shop, self.sign])
        self.assertEqual(cases[1].form_data, {"申请人": "张伟", "招牌尺寸": "3×1米", "经营场所": "海宁市海洲街道"})
        self.assertEqual(sorted(a.name for a in cases[0].attachments.all()), ["营业执照", "身份证"])
        self.assertEqual(photo.uses.count(), 2)  # one vault photo reused by both sub-cases
        self.assertEqual(selectors.bundle_status(application), "办理中")
        for case in cases:
            services.accept(actor=self.p.clerk_a, case=case)
            services.decide(actor=self.p.clerk_a, case=case, decision="granted")
            services.conclude(actor=self.p.clerk_a, case=case)
        self.assertEqual(selectors.bundle_status(application), "已办结")

    def test_an_expired_or_foreign_vault_material_is_not_reused(self):
        citizen = self.p.citizen
        old = services.add_vault_material(actor=citizen, owner_id_number=citizen.id_number, name="身份证",
                                          filename="id.png", content=PNG, source="照片全域通",
                                          valid_until=date(2024, 1, 1))
        with self.assertRaisesMessage(ServiceError, "已于 2024-01-01 过期"):
            services.submit_application(actor=citizen, item=self.shop, applicant_name="张伟",
                                        applicant_id_number=citizen.id_number, channel="2", vault_items=[old])
        with self.assertRaisesMessage(ServiceError, "只能向本人或本企业的材料库添加材料"):
            services.add_vault_material(actor=citizen, owner_id_number="330481198001010014", name="身份证",
                                        filename="id.png", content=PNG, source="上传")
