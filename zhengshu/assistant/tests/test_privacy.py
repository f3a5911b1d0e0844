"""Privacy and abuse on the public side: personal data masked before the question log stores it, a length limit,
typed text always escaped, CSRF on the page forms, feedback tokens bound to their own answer, and a request that
cannot pull in someone else's question; closing a request with a real case number."""

from __future__ import annotations

from django.test import Client, SimpleTestCase
from django.utils import timezone

from zhengshu.assistant import services
from zhengshu.assistant.ask import MAX_INPUT, answer, ask_and_log
from zhengshu.assistant.models import AssistRequest, AssistStatus, QuestionLog
from zhengshu.assistant.privacy import mask_personal
from zhengshu.assistant.tests.helpers import item
from zhengshu.assistant.tests.test_assistant import AssistantTestCase

ID = "330481199001011234"  # check character wrong on purpose: still someone's ID number
PHONE = "13905730001"
PERSONAL = f"我叫张三丰，身份证{ID}，电话{PHONE}，社保卡丢了怎么补办"
XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'


class MaskingTests(SimpleTestCase):
    def test_ids_phones_and_cued_names_are_masked_other_numbers_kept(self):
        masked = mask_personal(PERSONAL)
        for raw in (ID, PHONE, "张三丰"):
            self.assertNotIn(raw, masked)
        self.assertIn("330481********1234", masked)
        self.assertIn("139****0001", masked)
        self.assertIn("我叫张**", masked)
        self.assertIn("社保卡丢了怎么补办", masked)
        self.assertEqual(mask_personal("33048119900101123x丢了"), "330481********123x丢了")
        self.assertEqual(mask_personal("座机 0573-87000000"), "座机 057*****0000")
        self.assertEqual(mask_personal("帮我妈王秀英办退休"), "帮我妈王**办退休")
        for kept in ("统一社会信用代码91330481MA2B00000Y", "金额12345678元", "我是外地人怎么办居住证", "开个体户要带什么材料",
                     "事项编码 330217009000"):
            self.assertEqual(mask_personal(kept), kept)
        self.assertEqual(mask_personal(mask_personal(PERSONAL)), mask_personal(PERSONAL))


class PublicPrivacyTests(AssistantTestCase):
    def test_personal_data_is_masked_in_the_log_and_the_staff_pages(self):
        data = self.client.post("/api/v1/assistant/ask", {"question": PERSONAL},
                                content_type="application/json").json()
        self.client.post("/assistant/", {"question": f"{PERSONAL}，图书馆借书证"})
        for log in QuestionLog.objects.all():
            for raw in (ID, PHONE, "张三丰"):
                self.assertNotIn(raw, log.question)
        self.assertEqual(QuestionLog.objects.get(pk=data["log_id"]).question, mask_personal(PERSONAL))
        # the unanswered queue shows it masked
        out = ask_and_log(f"我叫李小龙，手机{PHONE}，图书馆借书证怎么办理")
        self.assertTrue(out["no_answer"])
        self.as_user("dataofficer")
        page = self.client.get("/assistant/curation/").content.decode()
        self.assertIn("139****0001", page)
        self.assertNotIn(PHONE, page)
        self.assertNotIn("李小龙", page)
        # a help request keeps the citizen's own words, staff see them masked (page and API)
        services.request_assistance(actor=self.p.citizen, question=f"我叫王大锤，身份证{ID}，不会填表",
                                    contact_phone=PHONE, item_code=item("个体工商户设立登记").implementation_code)
        self.as_user("clerk_a")
        page = self.client.get("/assistant/requests/").content.decode()
        self.assertIn("330481********1234", page)
        self.assertNotIn(ID, page)
        self.assertNotIn("王大锤", page)
        api = self.client.get("/api/v1/assistant/requests/").content.decode()
        self.assertNotIn(ID, api)
        self.assertNotIn(PHONE, api)

    def test_question_length_limit(self):
        self.assertTrue(answer("办" * MAX_INPUT)[0]["refused"] != "too_long")
        refused = answer("开个体户" * 200)[0]
        self.assertEqual(refused["refused"], "too_long")
        self.assertIn(f"超过 {MAX_INPUT} 字", refused["message"])
        out = ask_and_log("开个体户" * 5000)
        self.assertLessEqual(len(QuestionLog.objects.get(pk=out["log_id"]).question), 500)
        response = self.client.get("/assistant/")
        self.assertContains(response, f'maxlength="{MAX_INPUT}"')

    def test_typed_text_is_never_rendered_unescaped(self):
        response = self.client.post("/assistant/", {"question": XSS + "开个体户要带什么材料"})
        self.assertEqual(response.status_code, 200)
        self.assertNotContains(response, "<script>alert")
        self.assertNotContains(response, "<img src=x")
        self.assertContains(response, "&lt;script&gt;")
        ask_and_log(XSS + "图书馆借书证")
        services.request_assistance(actor=self.p.citizen, question=XSS, contact_phone=PHONE,
                                    item_code=item("个体工商户设立登记").implementation_code)
        self.as_user("citizen")
        mine = self.client.get("/assistant/requests/mine/")
        self.assertNotContains(mine, "<img src=x")
        self.assertContains(mine, "&lt;img src=x")
        for who, url in (("dataofficer", "/assistant/curation/"), ("clerk_a", "/assistant/requests/")):
            self.as_user(who)
            response = self.client.get(url)
            self.assertEqual(response.status_code, 200)
            self.assertNotContains(response, "<script>alert")
            self.assertNotContains(response, "<img src=x")
            self.assertContains(response, "&lt;")

    def test_page_forms_need_the_csrf_token(self):
        browser = Client(enforce_csrf_checks=True)
        self.assertEqual(browser.post("/assistant/", {"question": "开个体户"}).status_code, 403)
        self.assertEqual(QuestionLog.objects.count(), 0)
        page = browser.get("/assistant/")
        token = page.cookies["csrftoken"].value
        self.assertContains(page, "csrfmiddlewaretoken")
        self.assertEqual(browser.post("/assistant/", {"question": "开个体户", "csrfmiddlewaretoken": token})
                         .status_code, 200)
        log = QuestionLog.objects.get()
        self.assertEqual(browser.post(f"/assistant/feedback/{log.pk}/", {"value": "useful"}).status_code, 403)
        log.refresh_from_db()
        self.assertEqual(log.feedback, "")
        req = services.request_assistance(actor=self.p.citizen, question="不会填表", contact_phone=PHONE,
                                          item_code=item("个体工商户设立登记").implementation_code)
        browser.force_login(self.p.clerk_a)
        self.assertEqual(browser.post(f"/assistant/requests/{req.pk}/take/").status_code, 403)
        req.refresh_from_db()
        self.assertEqual(req.status, AssistStatus.WAITING)

    def test_a_feedback_token_rates_only_its_own_answer(self):
        url = "/api/v1/assistant/ask"
        first = self.client.post(url, {"question": "开个体户"}, content_type="application/json").json()
        second = Client().post(url, {"question": "社保卡丢了怎么补"}, content_type="application/json").json()
        replay = self.client.post("/api/v1/assistant/feedback", {"log_id": second["log_id"], "token": first["token"],
                                                                 "value": "useless"}, content_type="application/json")
        self.assertEqual(replay.status_code, 400)
        self.assertEqual(QuestionLog.objects.get(pk=second["log_id"]).feedback, "")
        # the page's session holds its own questions' tokens only
        self.client.post("/assistant/", {"question": "开个体户要带什么材料"})
        self.client.post(f"/assistant/feedback/{second['log_id']}/", {"value": "useless"})
        self.assertEqual(QuestionLog.objects.get(pk=second["log_id"]).feedback, "")

    def test_a_request_cannot_pull_in_someone_elses_question(self):
        stranger = Client()
        stranger.post("/assistant/", {"question": "我家的房子抵押贷款怎么办理登记"})
        theirs = QuestionLog.objects.latest("id")
        self.as_user("citizen")
        page = self.client.get(f"/assistant/requests/new/?log={theirs.pk}")
        self.assertEqual(page.status_code, 200)
        self.assertNotContains(page, "房子抵押贷款")
        body = {"question": "帮帮我", "contact_phone": PHONE, "log_id": theirs.pk}
        api = "/api/v1/assistant/requests/"
        self.assertEqual(self.client.post(api, body, content_type="application/json").status_code, 400)
        self.assertEqual(AssistRequest.objects.count(), 0)
        # the asker (by the answer's token) may link it
        mine = self.client.post("/api/v1/assistant/ask", {"question": "开个体户"}, content_type="application/json").json()
        response = self.client.post(api, {**body, "log_id": mine["log_id"], "token": mine["token"]},
                                    content_type="application/json")
        self.assertEqual(response.status_code, 201, response.content)
        self.assertEqual(AssistRequest.objects.get().question_log_id, mine["log_id"])
        # a question asked in this browser before signing in pre-fills the form
        self.client.logout()
        self.client.post("/assistant/", {"question": "营业执照丢了怎么补办"})
        own = QuestionLog.objects.latest("id")
        self.client.force_login(self.p.citizen)
        self.assertContains(self.client.get(f"/assistant/requests/new/?log={own.pk}"), "营业执照丢了怎么补办")


class CaseNumberTests(AssistantTestCase):
    def test_closing_with_a_case_that_exists_links_it(self):
        from zhengshu.cases.models import Case

        city_item = item("个体工商户设立登记")
        case = Case.objects.create(number="HN-2026-TEST-0001", item=city_item, channel="1", applicant_name="张三",
                                   applicant_id_number="330481199001011236", submitted_at=timezone.now(),
                                   department=city_item.department)
        req = services.request_assistance(actor=self.p.citizen, question="帮我申请", contact_phone=PHONE,
                                          item_code=city_item.implementation_code)
        services.take_request(actor=self.p.clerk_a, request=req)
        services.close_request(actor=self.p.clerk_a, request=req, outcome="case", case_number=f" {case.number} ")
        req.refresh_from_db()
        self.assertEqual((req.status, req.outcome, req.case_number), (AssistStatus.CLOSED, "case", case.number))


class LabelledSetAcceptanceTests(AssistantTestCase):
    def test_labelled_set_on_the_test_catalogue_meets_the_acceptance_figures(self):
        """The shipped labelled set, restricted to questions whose targets the test world's catalogue holds (and
        every no-answer question), scored by the same code as ``assistant evaluate``: Hit@3 ≥ 0.9, at least half of
        the no-answer questions recognised, ≤ 5% of answerable ones refused. A refused question is no hit."""
        import json

        from zhengshu.assistant.demo import codes_for_names
        from zhengshu.assistant.engine import knowledge
        from zhengshu.assistant.evaluate import SHIPPED, Labelled, assistant_ranking, score
        from zhengshu.govservices.selectors import published_items

        present = set(published_items().values_list("name", flat=True))
        rows = []
        for number, line in enumerate(SHIPPED.read_text(encoding="utf-8").splitlines(), 1):
            data = json.loads(line)
            names = data["target_names"]
            if all(n in present for n in names):
                rows.append(Labelled(data["question"], set(codes_for_names(names)) if names else set(),
                                     data["split"], number))
        kb = knowledge()
        figures = score(rows, lambda q: assistant_ranking(kb, q))
        self.assertGreaterEqual(figures["answerable"], 50, figures)
        self.assertGreaterEqual(figures["no_answer_questions"], 25, figures)
        self.assertGreaterEqual(figures["hit_at_3"], 0.9, figures["misses"])
        self.assertGreaterEqual(figures["no_answer_recognised"], 0.5, figures["misses"])
        self.assertLessEqual(figures["refused_answerable"], 0.05, figures["misses"])


class QueueScopeTests(AssistantTestCase):
    def test_each_clerk_sees_only_the_queues_of_their_department(self):
        from zhengshu.assistant.routing import route
        from zhengshu.orgs.choices import DepartmentLevel
        from zhengshu.orgs.models import Department

        village = Department.objects.create(code="HN-330481001-009", name="硖石街道测试社区", level=DepartmentLevel.VILLAGE,
                                            parent=self.p.town, division=self.p.divisions.xiashi)
        other_town = Department.objects.create(code="HN-330481999", name="测试镇", level=DepartmentLevel.TOWN,
                                               parent=self.p.town.parent, division=self.p.divisions.xiashi)
        self.assertEqual(route(None, village)[:2], (village, "village"))
        self.assertEqual(route(None, other_town)[:2], (other_town, "town"))
        made = {}
        for key, place, code in (("village", village, ""), ("other_town", other_town, ""),
                                 ("city", None, item("个体工商户设立登记").implementation_code),
                                 ("town", None, item("残疾人证申领（镇街受理）").implementation_code)):
            made[key] = services.request_assistance(actor=self.p.citizen, question="请帮我办", contact_phone=PHONE,
                                                    item_code=code, location=place).number
        expected = {"town_clerk": {made["village"], made["town"]}, "clerk_a": {made["city"]}, "outsider_b": set()}
        for who, numbers in expected.items():
            with self.subTest(who):
                self.as_user(who)
                response = self.client.get("/assistant/requests/")
                shown = {n for n in made.values() if n in response.content.decode()}
                self.assertEqual(shown, numbers if who != "outsider_b" else set())
                api = self.client.get("/api/v1/assistant/requests/")
                if api.status_code == 200:
                    self.assertEqual({r["number"] for r in api.json()["results"]}, numbers)
        self.as_user("town_clerk")
        other = AssistRequest.objects.get(number=made["other_town"])
        self.assertEqual(self.client.post(f"/assistant/requests/{other.pk}/take/").status_code, 404)


class MigrationTests(AssistantTestCase):
    def test_questions_logged_before_masking_are_masked_by_the_migration(self):
        from importlib import import_module

        from django.apps import apps

        old = QuestionLog.objects.create(question=PERSONAL, token="t" * 32)
        clean = QuestionLog.objects.create(question="开个体户要带什么材料", token="u" * 32)
        import_module("zhengshu.assistant.migrations.0002_mask_logged_questions").mask_logged(apps, None)
        old.refresh_from_db()
        clean.refresh_from_db()
        self.assertEqual(old.question, mask_personal(PERSONAL))
        self.assertNotIn(ID, old.question)
        self.assertEqual(clean.question, "开个体户要带什么材料")
