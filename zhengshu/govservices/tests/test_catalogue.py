"""S1: implementation-code parser, quality rules, review workflow, versions, selectors, demo seeder."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from zhengshu.core.services import ServiceError
from zhengshu.core.testing import PersonaTestCase
from zhengshu.govservices import codeparse, rules, selectors, services
from zhengshu.govservices.demo import make_uscc
from zhengshu.govservices.models import CodeValue, ItemFinding, ItemStatus, Material, ServiceItem, code_name
from zhengshu.govservices.tests.helpers import give_uscc, grant


def item_data(dept, **overrides) -> dict:
    data = {
        "name": "食品经营许可（新办）", "implementation_code": dept.uscc + "4" + "330100001000", "department": dept,
        "item_type": "01", "legal_limit": 20, "promised_limit": 5, "visits": 0, "handling_forms": ["1", "2", "3"],
        "online_depth": "4", "service_objects": ["2"], "acceptance_conditions": "有固定经营场所",
        "process": "申请→受理→审查→决定", "faq": "问：可以网上办吗？答：可以。", "consult_phone": "0573-87222315",
    }
    data.update(overrides)
    return data


MATERIALS = [
    {"name": "营业执照", "originals": 0, "copies": 1},
    {"name": "经营场所使用证明", "copies": 1, "may_be_missing": True, "missing_max_workdays": 3},
]


class CodeParserTests(PersonaTestCase):
    def test_it_splits_a_31_and_a_33_character_code(self):
        uscc = make_uscc(42)
        parsed = codeparse.parse(uscc + "4" + "330100001000")
        self.assertEqual((parsed.uscc, parsed.level, parsed.basic_code, parsed.business_item),
                         (uscc, "4", "330100001000", ""))
        parsed = codeparse.parse((uscc + "3" + "330100001000" + "02").lower())
        self.assertEqual((parsed.level, parsed.business_item, parsed.implementation_code),
                         ("3", "02", uscc + "3330100001000"))
        # the real Guangdong sample from the reference (§1.4)
        real = codeparse.parse("1144200032477691303440102001001")
        self.assertEqual((real.uscc, real.level, real.basic_code), ("114420003247769130", "3", "440102001001"))

    def test_it_refuses_bad_codes_in_chinese(self):
        uscc = make_uscc(42)
        cases = {
            uscc + "4" + "33010000100": "31位",
            uscc[:17] + ("1" if uscc[17] != "1" else "2") + "4330100001000": "统一社会信用代码",
            uscc + "8" + "330100001000": "行使层级",
            uscc + "4" + "330100001000" + "00": "不能为“00”",
            uscc + "4" + "330100001000" + "A1": "两位数字",
            uscc + "4" + "33010000100-": "非法字符",
        }
        for code, words in cases.items():
            with self.subTest(code=code), self.assertRaises(codeparse.CodeParseError) as ctx:
                codeparse.parse(code)
            self.assertIn(words, str(ctx.exception))

    def test_a_province_registers_its_own_parser(self):
        def sichuan(text):
            local, _division, _zeros, uscc, level, suffix = text.split("-")
            return codeparse.ParsedCode(code=text, uscc=uscc, level=level, basic_code=local[:12],
                                        business_item="" if suffix == "00" else suffix)

        codeparse.register("51")(sichuan)
        try:
            code = "511A0138000000-511602000000-000-115113010833722043-1-00"
            self.assertEqual(codeparse.parse(code, province="51").uscc, "115113010833722043")
            with self.assertRaises(codeparse.CodeParseError):  # the Zhejiang default does not accept it
                codeparse.parse(code)
            self.assertIs(codeparse.parsers()["33"], codeparse.parse_national)
        finally:
            codeparse._REGISTRY.pop("51")
            codeparse._parse.cache_clear()


class CodeTableTests(PersonaTestCase):
    def test_the_gbt_39046_annex_a_tables_are_seeded(self):
        self.assertEqual(code_name("item_type", "01"), "行政许可")
        self.assertEqual(code_name("exercise_level", "5"), "镇（乡、街道）级")
        self.assertEqual(code_name("satisfaction", "1"), "非常满意")
        self.assertEqual(code_name("satisfaction", "5"), "非常不满意")
        self.assertEqual(code_name("apply_channel", "3"), "浙里办")
        self.assertEqual(code_name("cross_region", "2"), "跨省通办")
        self.assertEqual(code_name("item_type", "99"), "99")  # unknown: the code itself
        self.assertEqual(code_name("item_type", ""), "")
        for table in ("item_type", "exercise_level", "handling_form", "service_object", "online_depth",
                      "cross_region", "apply_channel", "rating_channel"):
            self.assertTrue(CodeValue.objects.filter(table=table).exists(), table)

    def test_a_used_code_is_renamed_not_recoded(self):
        grant(self.p)
        value = CodeValue.objects.get(table="item_type", code="20")
        services.save_code_value(actor=self.p.dataofficer, value=value, data={"name": "公共服务"})
        self.assertEqual(code_name("item_type", "20"), "公共服务")
        with self.assertRaises(ServiceError):
            services.save_code_value(actor=self.p.dataofficer, value=value, data={"code": "21"})
        with self.assertRaises(PermissionDenied):
            services.save_code_value(actor=self.p.clerk_a, value=value, data={"name": "改名"})


class QualityRuleTests(PersonaTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        give_uscc(cls.p)
        grant(cls.p)

    def make(self, **overrides) -> ServiceItem:
        return services.save_item(actor=self.p.clerk_a, data=item_data(self.p.dept_a, **overrides),
                                  materials=MATERIALS)

    def rules_of(self, item) -> set[str]:
        return set(item.findings.values_list("rule", flat=True))

    def test_a_clean_item_has_no_errors(self):
        item = self.make()
        self.assertFalse(item.findings.filter(severity="error").exists(), list(item.findings.values("message")))

    def test_each_zhejiang_rule_fires(self):
        cases = [
            ({"is_immediate": True, "promised_limit": None, "visits": 1}, "Q02"),  # visits without a reason
            ({"visits": 2, "onsite_reason": "核验原件", "online_depth": "4"}, "Q04"),  # Ⅳ but 2 trips
            ({"visits": 0, "handling_forms": ["1"], "online_depth": "1"}, "Q03"),  # 0 trips, not online, no mail
            ({"promised_limit": 30, "legal_limit": 20}, "Q06"),  # promised > legal
            ({"faq": ""}, "Q05"),  # licensing without FAQ
            ({"promised_limit": None}, "Q01"),  # 承诺件 without a limit
            ({"fee": False, "online_payment": True}, "Q07"),
            ({"supervise_phone": "0573-87222315"}, "Q08"),
        ]
        for overrides, rule in cases:
            with self.subTest(rule=rule):
                ServiceItem.objects.all().delete()
                self.assertIn(rule, self.rules_of(self.make(**overrides)))

    def test_the_rules_as_the_reference_states_them(self):
        """§1.2: 0 trips ⇒ no on-site reason; 即办 ⇔ 即办件/即审即办; 许可 step times add up within the promise."""
        zero = self.make(visits=0, onsite_reason="须核验原件")
        self.assertIn(("Q02", "error"), set(zero.findings.values_list("rule", "severity")))
        ServiceItem.objects.all().delete()
        steps = self.make(promised_limit=5, process="1. 申请\n2. 受理（1个工作日）\n3. 审查（3个工作日）\n4. 决定（2个工作日）")
        self.assertIn("合计6个工作日，超过承诺办结时限5个工作日",
                      " ".join(steps.findings.filter(rule="Q05").values_list("message", flat=True)))
        ServiceItem.objects.all().delete()
        fits = self.make(promised_limit=6, process="1. 受理（1个工作日）\n2. 审查（3个工作日）\n3. 决定（2个工作日）")
        self.assertNotIn("Q05", self.rules_of(fits))
        ServiceItem.objects.all().delete()
        untimed = self.make(process="申请→受理→审查→决定")
        self.assertEqual(list(untimed.findings.filter(rule="Q05").values_list("severity", flat=True)), ["warning"])
        draft = ServiceItem(**{**item_data(self.p.dept_a), "is_immediate": True, "promised_limit": None,
                               "extra": {"办件类型": "承诺件", "事项审查类型": "即审即办"}})
        messages = [i.message for i in rules.evaluate(draft, []) if i.rule == "Q01"]
        self.assertEqual(len(messages), 1, messages)
        self.assertIn("办件类型应为“即办件”", messages[0])

    def test_promised_within_legal_across_units(self):
        ok = self.make(legal_limit=30, legal_limit_unit="calendar_day", promised_limit=20)  # 20 wd ≈ 28 days
        self.assertNotIn("Q06", self.rules_of(ok))
        ServiceItem.objects.all().delete()
        bad = self.make(legal_limit=20, legal_limit_unit="calendar_day", promised_limit=20)
        self.assertIn("Q06", self.rules_of(bad))

    def test_missing_materials_need_a_time_within_the_promised_limit(self):
        item = services.save_item(actor=self.p.clerk_a, data=item_data(self.p.dept_a, promised_limit=2),
                                  materials=[{"name": "场所证明", "may_be_missing": True, "missing_max_workdays": 5},
                                             {"name": "章程", "may_be_missing": True}])
        messages = list(item.findings.filter(rule="Q10").values_list("message", flat=True))
        self.assertEqual(len(messages), 2, messages)
        self.assertTrue(any("超过承诺办结时限" in m for m in messages))

    def test_findings_follow_material_edits_made_anywhere(self):
        item = self.make()
        Material.objects.filter(item=item).delete()
        self.assertIn("Q11", self.rules_of(item))  # the delete signal re-ran the rules
        Material.objects.create(item=item, name="申请表")
        self.assertNotIn("Q11", self.rules_of(item))

    def test_the_rules_are_pure_and_need_no_database_for_a_draft(self):
        draft = ServiceItem(**{**item_data(self.p.dept_a), "visits": 3, "online_depth": "4"})
        issues = rules.evaluate(draft, [])
        self.assertEqual({i.rule for i in issues} >= {"Q02", "Q04", "Q11"}, True)


class WorkflowTests(PersonaTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        give_uscc(cls.p)
        grant(cls.p)

    def test_draft_review_publish_revise_withdraw(self):
        p = self.p
        item = services.save_item(actor=p.clerk_a, data=item_data(p.dept_a), materials=MATERIALS)
        self.assertEqual(item.status, ItemStatus.DRAFT)
        self.assertFalse(selectors.published_items().filter(pk=item.pk).exists())
        with self.assertRaises(PermissionDenied):  # a clerk cannot publish
            services.approve_item(actor=p.clerk_a, item=item)
        with self.assertRaises(ServiceError):  # only items under review
            services.approve_item(actor=p.dataofficer, item=item)
        services.submit_item(actor=p.clerk_a, item=item)
        self.assertEqual(item.status, ItemStatus.REVIEW)
        with self.assertRaises(ServiceError):
            services.return_item(actor=p.dataofficer, item=item, reason="")
        services.return_item(actor=p.dataofficer, item=item, reason="请补充常见问题")
        self.assertEqual((item.status, item.review_note), (ItemStatus.DRAFT, "请补充常见问题"))
        services.submit_item(actor=p.clerk_a, item=item)
        v1 = services.approve_item(actor=p.dataofficer, item=item)
        self.assertEqual((v1.version, v1.effective_from, item.status), (1, timezone.localdate(), "published"))
        self.assertEqual(selectors.item_by_code(item.implementation_code.lower()), item)
        self.assertTrue(selectors.published_items().filter(pk=item.pk).exists())
        self.assertEqual([m["name"] for m in v1.data["materials"]], ["营业执照", "经营场所使用证明"])
        # a revision: the working copy is a draft, the public keeps version 1
        services.save_item(actor=p.colleague_a, item=item, data={"name": "食品经营许可（新办，修订）"})
        self.assertEqual(item.status, ItemStatus.DRAFT)
        self.assertTrue(selectors.published_items().filter(pk=item.pk).exists())
        self.assertEqual(selectors.current_version(item).data["name"], "食品经营许可（新办）")
        services.submit_item(actor=p.clerk_a, item=item)
        later = timezone.localdate() + dt.timedelta(days=10)
        v2 = services.approve_item(actor=p.dataofficer, item=item, effective_from=later)
        v1.refresh_from_db()
        self.assertEqual(v1.effective_to, later - dt.timedelta(days=1))
        self.assertEqual(selectors.current_version(item).version, 1)  # v2 not yet in force
        self.assertEqual(selectors.current_version(item, later).version, 2)
        self.assertEqual(v2.data["name"], "食品经营许可（新办，修订）")
        with self.assertRaises(ServiceError):
            services.approve_item(actor=p.dataofficer, item=item)  # not under review any more
        services.withdraw_item(actor=p.dataofficer, item=item, reason="事项取消")
        self.assertFalse(selectors.published_items().filter(pk=item.pk).exists())
        with self.assertRaises(ServiceError):
            services.withdraw_item(actor=p.dataofficer, item=item, reason="再废止")

    def test_submission_is_refused_while_errors_remain(self):
        item = services.save_item(actor=self.p.clerk_a, data=item_data(self.p.dept_a, visits=2), materials=MATERIALS)
        with self.assertRaises(ServiceError) as ctx:
            services.submit_item(actor=self.p.clerk_a, item=item)
        self.assertIn("质量错误", str(ctx.exception))

    def test_outsiders_cannot_edit_other_departments_items(self):
        item = services.save_item(actor=self.p.clerk_a, data=item_data(self.p.dept_a), materials=MATERIALS)
        with self.assertRaises(PermissionDenied):
            services.save_item(actor=self.p.outsider_b, item=item, data={"name": "改名"})
        with self.assertRaises(ServiceError):  # nor create one for another department
            services.save_item(actor=self.p.outsider_b, data=item_data(self.p.dept_a, implementation_code=(
                self.p.dept_a.uscc + "4330100002000")))
        self.assertFalse(ServiceItem.objects.filter(basic_code="330100002000").exists())

    def test_bad_codes_are_validation_errors(self):
        with self.assertRaises(ValidationError) as ctx:
            services.save_item(actor=self.p.clerk_a, data=item_data(self.p.dept_a, item_type="77",
                                                                   handling_forms=["1", "8"]))
        self.assertEqual(set(ctx.exception.message_dict), {"item_type", "handling_forms"})
        with self.assertRaises(ValidationError):
            services.save_item(actor=self.p.clerk_a, data=item_data(self.p.dept_a, implementation_code="123"))


class DemoSeederTests(PersonaTestCase):
    def test_the_demo_catalogue_has_the_reports_shape(self):
        from zhengshu.govservices.demo import seed_catalogue
        from zhengshu.orgs.demo import CITY_DEPARTMENTS
        from zhengshu.orgs.models import Department

        for code, name, short in CITY_DEPARTMENTS:  # the demo's city departments, in the test world
            if not Department.objects.filter(code=code).exists():
                Department.objects.create(code=code, name=name, short_name=short, division=self.p.divisions.haining,
                                          parent=self.p.gov)
        seed_catalogue()
        items = ServiceItem.objects.all()
        total = items.count()
        self.assertGreaterEqual(total, 300)
        self.assertEqual(items.filter(cross_region_scope="2").count(), 119)
        self.assertEqual(selectors.published_items().count(), total)
        self.assertGreater(Material.objects.filter(may_be_missing=True, missing_max_workdays__gt=0).count(), 20)
        self.assertTrue(items.filter(allows_commitment=True).exists())
        immediate = items.filter(is_immediate=True).count() / total
        zero = items.filter(visits=0).count() / total
        full = sum(1 for i in items if i.full_online) / total
        self.assertTrue(0.5 < immediate < 0.9 and zero > 0.9 and full > 0.85, (immediate, zero, full))
        self.assertTrue(ItemFinding.objects.filter(rule="Q07", severity="warning").exists())  # 收费 without 依据
        self.assertFalse(ItemFinding.objects.filter(severity="error").exists(),
                         list(ItemFinding.objects.filter(severity="error").values_list("message", flat=True)[:5]))
        seed_catalogue()  # idempotent
        self.assertEqual(ServiceItem.objects.count(), total)
