"""Every transition of the table, from every state: allowed ones succeed and are recorded, the others are
refused with a message naming the current state and the states the action needs."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.test import TestCase

from zhengshu.cases import services
from zhengshu.cases.choices import CaseStatus, SuspensionKind
from zhengshu.cases.models import Case, CaseEvent
from zhengshu.cases.tests.factories import PDF, make_item, personas
from zhengshu.cases.transitions import TRANSITIONS
from zhengshu.core.services import ServiceError

# The path to reach each state from a fresh online application.
PATHS = {
    CaseStatus.SUBMITTED: [],
    CaseStatus.CORRECTION: ["request_correction"],
    CaseStatus.REJECTED: ["reject"],
    CaseStatus.ACCEPTED: ["accept"],
    CaseStatus.REVIEWING: ["accept", "start_review"],
    CaseStatus.SUSPENDED: ["accept", "start_review", "suspend"],
    CaseStatus.DECIDED: ["accept", "decide"],
    CaseStatus.CONCLUDED: ["accept", "decide", "conclude"],
    CaseStatus.DELIVERED: ["accept", "decide", "conclude", "deliver"],
    CaseStatus.RATED: ["accept", "decide", "conclude", "deliver", "rate"],
    CaseStatus.TERMINATED: ["accept", "terminate"],
    CaseStatus.REVOKED: ["accept", "decide", "conclude", "revoke"],
    CaseStatus.WITHDRAWN: ["withdraw"],
}


class TransitionTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.p = personas()
        cls.item = make_item(cls.p.dept_a)
        cls.in_state = {}  # one case per state, reached through the services once
        for status in CaseStatus.values:
            case = cls.new_case_for(cls.p, cls.item)
            for name in PATHS[status]:
                cls.run_transition_for(cls.p, name, case)
                case.refresh_from_db()
            cls.in_state[status] = case.pk

    def run_transition(self, name, case):
        return self.run_transition_for(self.p, name, case)

    @staticmethod
    def run_transition_for(p, name, case):
        clerk, citizen = p.clerk_a, p.citizen
        calls = {
            "request_correction": lambda: services.request_correction(actor=clerk, case=case, content="补正：申请书未签字"),
            "resubmit": lambda: services.resubmit_online(actor=citizen, case=case, files=[("申请书", "sq.pdf", PDF)]),
            "reject": lambda: services.reject(actor=clerk, case=case, reason="不属于本机关职权范围"),
            "accept": lambda: services.accept(actor=clerk, case=case),
            "start_review": lambda: services.start_review(actor=clerk, case=case),
            "suspend": lambda: services.suspend(actor=clerk, case=case, kind=SuspensionKind.OTHER, reason="专家评审"),
            "resume": lambda: services.resume(actor=clerk, case=case, result="评审通过"),
            "decide": lambda: services.decide(actor=clerk, case=case, decision="granted"),
            "conclude": lambda: services.conclude(actor=clerk, case=case, result_number="JY13304810001"),
            "deliver": lambda: services.deliver(actor=clerk, case=case, method="electronic"),
            "rate": lambda: services.rate_case(actor=citizen, case=case, level=1, channel="2"),
            "terminate": lambda: services.terminate(actor=clerk, case=case, reason="申请人未按期补齐容缺材料"),
            "revoke": lambda: services.revoke(actor=clerk, case=case, reason="核查发现虚假承诺"),
            "withdraw": lambda: services.withdraw(actor=citizen, case=case, reason="不再需要"),
        }
        return calls[name]()

    def new_case(self):
        return self.new_case_for(self.p, self.item)

    @staticmethod
    def new_case_for(p, item):
        return services.submit_application(
            actor=p.citizen, item=item, applicant_name="张伟", applicant_id_number="330481199003150037",
            channel="2", files=[("申请书", "sq.pdf", PDF)],
        )

    def case_in(self, status):
        case = self.new_case()
        for name in PATHS[status]:
            self.run_transition(name, case)
            case.refresh_from_db()
        self.assertEqual(case.status, status)
        return case

    def test_every_transition_from_every_state(self):
        refused = allowed = 0
        for status in CaseStatus.values:
            for name, transition in TRANSITIONS.items():
                with self.subTest(status=status, transition=name):
                    with transaction.atomic():
                        case = Case.objects.get(pk=self.in_state[status])
                        self.assertEqual(case.status, status)
                        events = case.events.count()
                        if status in transition.sources:
                            self.run_transition(name, case)
                            case.refresh_from_db()
                            self.assertEqual(case.status, transition.target)
                            event = case.events.order_by("-id").first()
                            self.assertEqual((event.action, event.from_status, event.to_status),
                                             (name, status, transition.target))
                            self.assertEqual(case.events.count(), events + 1)
                            allowed += 1
                        else:
                            with self.assertRaises(ServiceError) as caught:
                                self.run_transition(name, case)
                            message = str(caught.exception)
                            self.assertIn(f"当前状态为“{CaseStatus(status).label}”", message)
                            self.assertIn(transition.label, message)
                            case.refresh_from_db()
                            self.assertEqual(case.status, status)
                            self.assertEqual(case.events.count(), events)
                            refused += 1
                        transaction.set_rollback(True)  # each pair starts from the same case
        self.assertEqual(allowed + refused, len(CaseStatus.values) * len(TRANSITIONS))
        self.assertEqual(allowed, sum(len(t.sources) for t in TRANSITIONS.values()))

    def test_every_event_names_its_actor_and_time(self):
        case = self.case_in(CaseStatus.RATED)
        events = list(case.events.all())
        self.assertEqual([e.action for e in events], ["submit", "accept", "decide", "conclude", "deliver", "rate"])
        self.assertEqual(events[1].actor, self.p.clerk_a)
        self.assertEqual(events[-1].actor, self.p.citizen)
        self.assertTrue(all(e.at for e in events))

    def test_the_outsider_and_the_applicant_may_not_handle_a_case(self):
        case = self.new_case()
        with self.assertRaises(PermissionDenied):
            services.accept(actor=self.p.outsider_b, case=case)
        with self.assertRaises(PermissionDenied):
            services.accept(actor=self.p.citizen, case=case)
        with self.assertRaises(PermissionDenied):
            services.withdraw(actor=self.p.enterprise, case=case)
        self.assertEqual(CaseEvent.objects.filter(case=case).count(), 1)

    def test_reasons_are_required_where_the_law_asks_for_them(self):
        case = self.new_case()
        with self.assertRaisesMessage(ServiceError, "不予受理须填写原因"):
            services.reject(actor=self.p.clerk_a, case=case, reason=" ")
        services.accept(actor=self.p.clerk_a, case=case)
        with self.assertRaisesMessage(ServiceError, "不予决定须填写原因"):
            services.decide(actor=self.p.clerk_a, case=case, decision="refused")
        with self.assertRaisesMessage(ServiceError, "延长审批须填写延长的天数"):
            services.start_review(actor=self.p.clerk_a, case=case)
            services.suspend(actor=self.p.clerk_a, case=case, kind=SuspensionKind.EXTENSION, reason="复杂")

    def test_online_applicants_apply_only_in_their_own_name(self):
        with self.assertRaisesMessage(ServiceError, "只能以本人或本企业名义"):
            services.submit_application(actor=self.p.citizen, item=self.item, applicant_name="李四",
                                        applicant_id_number="330481198001010014", channel="2")

    def test_uploads_are_checked_for_type_and_size(self):
        with self.assertRaisesMessage(ServiceError, "材料文件“a.exe”不是允许的类型"):
            services.submit_application(actor=self.p.clerk_a, item=self.item, applicant_name="张伟",
                                        applicant_id_number="330481199003150037",
                                        files=[("申请书", "a.exe", b"MZ\x90\x00")])
        import io
        import zipfile

        def package(*names):
            buffer = io.BytesIO()
            with zipfile.ZipFile(buffer, "w") as archive:
                for entry in names:
                    archive.writestr(entry, "<x/>")
            return buffer.getvalue()

        with self.assertRaisesMessage(ServiceError, "材料文件“a.ofd”不是允许的类型"):  # a ZIP, not an OFD
            services.submit_application(actor=self.p.clerk_a, item=self.item, applicant_name="张伟",
                                        applicant_id_number="330481199003150037",
                                        files=[("申请书", "a.ofd", package("word/document.xml"))])
        case = services.submit_application(actor=self.p.clerk_a, item=self.item, applicant_name="张伟",
                                           applicant_id_number="330481199003150037",
                                           files=[("申请书", "b.ofd", package("OFD.xml", "Doc_0/Document.xml"))])
        self.assertEqual(case.attachments.get().content_type, "application/ofd")
        from zhengshu.cases.models import Parameter

        Parameter.objects.create(key="upload_max_mb", name="上传文件大小上限（MB）", value="1")
        with self.assertRaisesMessage(ServiceError, "材料文件“big.pdf”大小 1.0 MB，超过上限 1 MB"):
            services.submit_application(actor=self.p.clerk_a, item=self.item, applicant_name="张伟",
                                        applicant_id_number="330481199003150037",
                                        files=[("申请书", "big.pdf", PDF + b"0" * (1024 * 1024))])
        with self.assertRaisesMessage(ServiceError, "身份证号“330481199003150038”无效"):
            services.submit_application(actor=self.p.clerk_a, item=self.item, applicant_name="张伟",
                                        applicant_id_number="330481199003150038")

    def test_case_numbers_follow_the_configured_format(self):
        from zhengshu.cases.models import Parameter

        first, second = self.new_case(), self.new_case()
        self.assertTrue(first.number.startswith(self.item.implementation_code))
        self.assertEqual(int(second.number[-6:]), int(first.number[-6:]) + 1)
        Parameter.objects.create(key="case_number_format", name="办件编号格式", value="HN{code}{date:%Y%m%d}{channel}{seq:04d}")
        third = self.new_case()
        self.assertTrue(third.number.startswith("HN" + self.item.implementation_code))
        self.assertTrue(third.number.endswith("20001"))

    def test_of_two_clerks_accepting_the_same_case_the_second_is_refused(self):
        case = self.new_case()
        mine = Case.objects.get(pk=case.pk)
        colleagues = Case.objects.get(pk=case.pk)  # both pages show "已提交"
        services.accept(actor=self.p.clerk_a, case=mine)
        with self.assertRaisesMessage(ServiceError, "已被其他人员处理（现为“已受理”），不能受理"):
            services.accept(actor=self.p.colleague_a, case=colleagues)
        with self.assertRaisesMessage(ServiceError, "已被其他人员处理（现为“已受理”），不能不予受理"):
            services.reject(actor=self.p.colleague_a, case=colleagues, reason="材料不全")
        case.refresh_from_db()
        self.assertEqual((case.status, case.accepted_by), (CaseStatus.ACCEPTED, self.p.clerk_a))
        self.assertEqual(case.events.filter(action__in=("accept", "reject")).count(), 1)
        self.assertEqual(case.clock_events.count(), 1)


class ServicesPackageTests(TestCase):
    """``services`` is a package (DESIGN §3: a file past ~800 lines): every public function of every module in
    it is a declared service and importable from ``zhengshu.cases.services``, where the convention test sees it."""

    def test_every_public_function_of_the_package_is_a_reexported_service(self):
        import importlib
        import inspect
        import pkgutil

        package = importlib.import_module("zhengshu.cases.services")
        seen = []
        for info in pkgutil.iter_modules(package.__path__):
            module = importlib.import_module(f"{package.__name__}.{info.name}")
            for name, fn in inspect.getmembers(module, inspect.isfunction):
                origin = getattr(fn, "__wrapped__", fn)
                if name.startswith("_") or origin.__code__.co_filename != module.__file__:
                    continue  # private, or imported from elsewhere
                seen.append(name)
                with self.subTest(name):
                    self.assertTrue(getattr(fn, "service_perm", None), f"{module.__name__}.{name} 没有 @service")
                    self.assertIs(getattr(package, name, None), fn, f"{name} 未从 zhengshu.cases.services 导出")
                    self.assertEqual(fn.__module__, package.__name__)
        self.assertGreaterEqual(len(seen), 28)
        self.assertEqual(sorted(seen), sorted(package.__all__))
