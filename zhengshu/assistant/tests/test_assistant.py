"""The assistant end to end: retrieval, no-answer, index following the catalogue, the command, the API and the
pages with bad input, feedback and the queue, assisted-handling requests, and the optional model phrasing."""

from __future__ import annotations

import csv
import io
import json
import tempfile
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from unittest import mock

from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.test import TestCase

from zhengshu.assistant import engine, llm, services
from zhengshu.assistant.ask import answer, ask_and_log
from zhengshu.assistant.models import AssistRequest, AssistStatus, FaqEntry, QuestionLog, QueueStatus
from zhengshu.assistant.tests.helpers import item, make_assistant_world
from zhengshu.core.services import ServiceError
from zhengshu.core.testing import login

BAD_INPUT = ["", "   \n\t ", "开" * 5000, "办" * 5001, "😀🙏🏻💡", "How do I renew my passport?",
             "'; DROP TABLE assistant_questionlog; --", "<script>alert(1)</script>", "\x00\x01", "1 OR 1=1"]


class AssistantTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.p = make_assistant_world()

    def setUp(self):
        engine.reset()

    def as_user(self, name: str):
        user = getattr(self.p, name)
        user.refresh_from_db()
        user.clear_permission_cache()
        self.client.logout()
        login(self.client, user)
        return user


class RetrievalTests(AssistantTestCase):
    def test_colloquial_question_gets_the_item_card(self):
        out, result = answer("开个体户要带什么材料")
        self.assertFalse(out["no_answer"])
        self.assertEqual(out["card"]["name"], "个体工商户设立登记")
        self.assertIn("materials", result.intents)
        self.assertTrue(any("身份证" in m["name"] for m in out["card"]["materials"]))
        self.assertLessEqual(len(out["alternatives"]), 4)
        self.assertTrue(out["card"]["time_limit"])
        self.assertIn(out["card"]["implementation_code"], out["card"]["guide_url"])

    def test_variant_named_in_the_question_wins(self):
        for question, expected in (("个体户不想干了怎么注销", "个体工商户注销登记"),
                                   ("食品经营许可证快到期了怎么延续", "食品经营许可（延续）"),
                                   ("租房子能提取公积金吗", "住房公积金提取（租房）"),
                                   ("執照唔見咗點樣補", "营业执照遗失补领")):
            with self.subTest(question):
                out, _r = answer(question)
                self.assertEqual(out["card"]["name"] if out["card"] else None, expected)

    def test_typo_and_very_short_questions(self):
        out, _r = answer("公基金怎么取出来")
        self.assertIn("住房公积金提取", out["card"]["name"])
        out, _r = answer("公积金")
        self.assertFalse(out["no_answer"])
        self.assertIn("住房公积金", out["card"]["name"])

    def test_a_town_item_is_one_answer_and_prefers_the_askers_town(self):
        out, result = answer("残疾证怎么申请", town_id=self.p.town.pk)
        self.assertEqual(out["card"]["name"], "残疾人证申领（镇街受理）")
        self.assertEqual(result.hits[0].item.department_id, self.p.town.pk)
        names = [h.item.name for h in result.hits]
        self.assertEqual(len(names), len(set(names)))

    def test_unrelated_questions_are_not_answered_and_are_queued(self):
        for question in ("今天天气怎么样", "帮我订一张去北京的机票", "怎么炒股赚钱"):
            with self.subTest(question):
                out = ask_and_log(question)
                self.assertTrue(out["no_answer"], out)
                self.assertIsNone(out["card"])
                self.assertEqual(QuestionLog.objects.get(pk=out["log_id"]).queue_status, QueueStatus.OPEN)

    def test_bad_input_is_refused_with_a_message(self):
        for text in BAD_INPUT:
            with self.subTest(text[:20]):
                out, _r = answer(text)
                self.assertTrue(out["no_answer"])
                self.assertTrue(out["message"])
        out, _r = answer("How do I renew my passport?")
        self.assertIn("中文", out["message"])
        self.assertIn("太长", answer("办" * 5001)[0]["message"])


class IndexFollowsCatalogueTests(AssistantTestCase):
    def test_withdrawn_and_renamed_items_are_followed_without_a_full_rebuild(self):
        from zhengshu.govservices import services as catalogue

        kb = engine.knowledge()
        self.assertEqual(kb.stats["full_builds"], 1)
        target = item("广告发布登记")
        self.assertEqual(answer("做广告发布需要登记吗")[0]["card"]["name"], "广告发布登记")
        catalogue.withdraw_item(actor=self.p.dataofficer, item=target, reason="合并到其他事项")
        out, _r = answer("做广告发布需要登记吗")
        self.assertNotEqual(out["card"]["name"] if out["card"] else "", "广告发布登记")
        other = item("动产抵押登记")
        other.keywords = "摆地摊抵押三轮车"
        other.status = "review"
        other.save()
        catalogue.approve_item(actor=self.p.dataofficer, item=other)
        out, _r = answer("摆地摊抵押三轮车")
        self.assertEqual(out["card"]["name"], "动产抵押登记")
        kb = engine.knowledge()
        self.assertEqual(kb.stats["full_builds"], 1)
        self.assertGreaterEqual(kb.stats["item_updates"], 2)

    def test_an_imported_catalogue_is_searchable_at_once(self):
        from zhengshu.govservices.tests.helpers import ITEM_HEADER, give_uscc

        codes = give_uscc(self.p)
        kb = engine.knowledge()  # index built before the import
        builds = kb.stats["full_builds"]
        code = codes["HN-ZJJ"] + "4" + "330100777000"
        row = ["海塘观潮平台临时搭建审批", "330100777000", code, "行政许可", self.p.dept_b.name, "", "县级",
               "20个工作日", "5个工作日", "材料齐全", "申请→受理→审查→决定", "否", "0", "窗口办理、电脑端网上办理",
               "", "自然人", "0573-87000000", "问：要多久？答：5个工作日。", "", "测试"]
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "catalogue.csv"
            with path.open("w", encoding="utf-8-sig", newline="") as f:
                writer = csv.writer(f)
                writer.writerow(ITEM_HEADER)
                writer.writerow(row)
            out = io.StringIO()
            call_command("services", "import-items", str(path), "--publish", "--json", stdout=out)
        self.assertEqual(json.loads(out.getvalue())["created"], 1)
        self.assertTrue(answer("观潮平台临时搭建要审批吗")[0]["no_answer"] is False)
        result, _r = answer("观潮平台临时搭建要审批吗")
        self.assertEqual(result["card"]["implementation_code"], code)
        # followed by the per-question check, not by rebuilding the whole index
        self.assertIs(engine.knowledge(), kb)
        self.assertEqual(kb.stats["full_builds"], builds)
        self.assertGreaterEqual(kb.stats["item_updates"], 1)

    def test_staff_alias_and_faq_take_effect_at_once(self):
        self.assertTrue(answer("摆摊卖小商品")[0]["no_answer"])
        services.save_alias(actor=self.p.dataofficer, data={"phrase": "摆摊", "target": "个体工商户设立登记"})
        self.assertEqual(answer("摆摊卖小商品")[0]["card"]["name"], "个体工商户设立登记")
        with self.assertRaises(ServiceError):
            services.save_faq(actor=self.p.dataofficer, data={"question": "x", "answer": "y",
                                                              "item_codes": ["11330481MA00000000400000000000"]})


class CommandTests(AssistantTestCase):
    def test_ask_json_and_batch(self):
        out = io.StringIO()
        call_command("assistant", "ask", "开个体户要带什么材料", "--json", stdout=out)
        data = json.loads(out.getvalue())
        self.assertEqual(set(data), {"question", "answers", "no_answer"})
        self.assertEqual(data["answers"][0]["name"], "个体工商户设立登记")
        self.assertEqual(set(data["answers"][0]), {"implementation_code", "name", "score"})
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "q.jsonl"
            lines = ["开个体户", "今天天气怎么样", "", "火车票怎么买"]
            path.write_text("\n".join(json.dumps({"question": q}, ensure_ascii=False) for q in lines) + "\n",
                            encoding="utf-8")
            out = io.StringIO()
            call_command("assistant", "ask", "--batch", str(path), "--json", stdout=out)
        rows = [json.loads(line) for line in out.getvalue().splitlines()]
        self.assertEqual([r["question"] for r in rows], lines)
        self.assertEqual([r["no_answer"] for r in rows], [False, True, True, True])
        self.assertEqual(rows[1]["answers"], [])

    def test_evaluate_reports_the_metrics(self):
        hit = item("个体工商户设立登记").implementation_code
        variant = item("个体工商户注销登记").implementation_code
        lines = [{"question": "开个体户要带什么材料", "targets": [hit]},
                 {"question": "个体户注销", "targets": [hit]},  # the target is the wrong variant: not at 1
                 {"question": "今天天气怎么样", "targets": []},
                 {"question": "个体工商户注销", "targets": [variant]}]
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "labels.jsonl"
            path.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in lines), encoding="utf-8")
            out = io.StringIO()
            call_command("assistant", "evaluate", str(path), "--baseline", "--json", stdout=out)
        data = json.loads(out.getvalue())["assistant"]
        self.assertEqual((data["answerable"], data["no_answer_questions"]), (3, 1))
        self.assertAlmostEqual(data["hit_at_1"], round(2 / 3, 4))
        self.assertEqual(data["hit_at_3"], 1.0)
        self.assertEqual(data["no_answer_recognised"], 1.0)
        self.assertIn("baseline", json.loads(out.getvalue()))


class ApiTests(AssistantTestCase):
    url = "/api/v1/assistant/ask"

    def test_ask_answers_anyone(self):
        response = self.client.post(self.url, {"question": "开个体户要带什么材料"}, content_type="application/json")
        self.assertEqual(response.status_code, 200)
        data = response.json()
        self.assertEqual(data["card"]["name"], "个体工商户设立登记")
        self.assertTrue(data["token"])

    def test_bad_input_never_gives_a_server_error(self):
        for text in BAD_INPUT:
            with self.subTest(text[:20]):
                response = self.client.post(self.url, {"question": text}, content_type="application/json")
                self.assertEqual(response.status_code, 200, response.content[:200])
                self.assertTrue(response.json()["no_answer"])
        for body in ({}, {"question": None}, {"question": 42, "town": "NO-SUCH"}, {"question": ["a"]}):
            with self.subTest(body):
                response = self.client.post(self.url, body, content_type="application/json")
                self.assertEqual(response.status_code, 400)
                self.assertIn("detail", response.json())
        response = self.client.post(self.url, "{not json", content_type="application/json")
        self.assertEqual(response.status_code, 400)

    def test_feedback_needs_the_token_and_useless_answers_are_queued(self):
        data = self.client.post(self.url, {"question": "开个体户"}, content_type="application/json").json()
        bad = self.client.post("/api/v1/assistant/feedback", {"log_id": data["log_id"], "token": "x" * 32,
                                                              "value": "useless"}, content_type="application/json")
        self.assertEqual(bad.status_code, 400)
        good = self.client.post("/api/v1/assistant/feedback", {"log_id": data["log_id"], "token": data["token"],
                                                               "value": "useless"}, content_type="application/json")
        self.assertEqual(good.status_code, 200)
        self.assertEqual(QuestionLog.objects.get(pk=data["log_id"]).queue_status, QueueStatus.OPEN)


class PageTests(AssistantTestCase):
    def test_chat_page_answers_and_survives_bad_input(self):
        self.assertEqual(self.client.get("/assistant/").status_code, 200)
        response = self.client.post("/assistant/", {"question": "新生儿医保怎么办"})
        self.assertEqual(response.status_code, 200)
        response = self.client.post("/assistant/", {"question": "开个体户要带什么材料"})
        self.assertContains(response, 'id="as-card"')
        self.assertContains(response, "个体工商户设立登记")
        for text in BAD_INPUT + ["办" * 30000]:
            with self.subTest(text[:20]):
                response = self.client.post("/assistant/", {"question": text})
                self.assertEqual(response.status_code, 200)
                self.assertNotContains(response, 'id="as-card"')

    def test_page_feedback_uses_the_session_token(self):
        self.client.post("/assistant/", {"question": "开个体户要带什么材料"})
        log = QuestionLog.objects.latest("id")
        response = self.client.post(f"/assistant/feedback/{log.pk}/", {"value": "useful"}, follow=True)
        self.assertContains(response, "谢谢您的评价")
        log.refresh_from_db()
        self.assertEqual(log.feedback, "useful")
        self.client.logout()  # another browser: no token
        self.client.post(f"/assistant/feedback/{log.pk}/", {"value": "useless"})
        log.refresh_from_db()
        self.assertEqual(log.feedback, "useful")

    def test_curation_page_turns_a_queued_question_into_a_faq(self):
        out = ask_and_log("图书馆借书证怎么办理")
        self.assertTrue(out["no_answer"])
        self.as_user("citizen")
        self.assertEqual(self.client.get("/assistant/curation/").status_code, 403)
        self.as_user("dataofficer")
        response = self.client.get("/assistant/curation/")
        self.assertContains(response, "图书馆借书证怎么办理")
        response = self.client.post("/assistant/curation/", {
            "what": "queue", "log_id": out["log_id"], "action": "new_faq",
            "answer": "借书证由市图书馆办理，凭身份证免押金办理。"})
        self.assertEqual(response.status_code, 302)
        self.assertEqual(QuestionLog.objects.get(pk=out["log_id"]).queue_status, QueueStatus.CURATED)
        faq = FaqEntry.objects.get(question="图书馆借书证怎么办理")
        again = answer("图书馆借书证怎么办理")[0]
        self.assertFalse(again["no_answer"])
        self.assertEqual(again["faq"]["answer"], faq.answer)


class AssistRequestTests(AssistantTestCase):
    def _post(self, **body):
        return self.client.post("/api/v1/assistant/requests/", body, content_type="application/json")

    def test_routing_to_levels_and_queues(self):
        self.as_user("citizen")
        town_item = item("残疾人证申领（镇街受理）")
        city_item = item("个体工商户设立登记")
        first = self._post(question="不会网上申请", contact_phone="13905730001", item_code=town_item.implementation_code)
        self.assertEqual(first.status_code, 201, first.content)
        self.assertEqual((first.json()["level"], first.json()["department"]), ("town", "海宁市硖石街道"))
        self.assertEqual(first.json()["contact_phone"], "139****0001")
        second = self._post(question="帮我看看材料", contact_phone="13905730001",
                            item_code=city_item.implementation_code, location="HN-330481001")
        self.assertEqual((second.json()["level"], second.json()["department"]), ("city", "海宁市市场监督管理局"))
        third = self._post(question="不知道找谁", contact_phone="0573-87000000")
        self.assertEqual(third.json()["department"], "海宁市政务服务和数据资源管理办公室")
        self.assertEqual(self._post(question="x", contact_phone="12").status_code, 409)
        self.assertEqual(self._post(question="x", contact_phone="13905730001", item_code="NOPE").status_code, 409)
        # each queue sees its own requests only
        self.as_user("town_clerk")
        seen = {r["number"] for r in self.client.get("/api/v1/assistant/requests/").json()["results"]}
        self.assertEqual(seen, {first.json()["number"]})
        self.as_user("clerk_a")
        seen = {r["number"] for r in self.client.get("/api/v1/assistant/requests/").json()["results"]}
        self.assertEqual(seen, {second.json()["number"]})
        self.assertEqual(self.client.post(f"/api/v1/assistant/requests/{first.json()['id']}/take").status_code, 404)

    def test_village_location_falls_back_to_its_town(self):
        from zhengshu.assistant.routing import route
        from zhengshu.orgs.choices import DepartmentLevel
        from zhengshu.orgs.models import Department

        village = Department.objects.create(code="HN-330481001-001", name="硖石街道某社区", level=DepartmentLevel.VILLAGE,
                                            parent=self.p.town, division=self.p.divisions.xiashi)
        dept, level, reason = route(item("残疾人证申领（镇街受理）"), village)
        self.assertEqual((dept, level), (self.p.town, "town"))
        dept, level, _reason = route(None, village)
        self.assertEqual((dept, level), (village, "village"))

    def test_a_clerk_takes_and_closes_with_a_case_number(self):
        citizen = self.p.citizen
        req = services.request_assistance(actor=citizen, question="不会填表", contact_phone="13905730001",
                                          item_code=item("个体工商户设立登记").implementation_code)
        with self.assertRaises(PermissionDenied):
            services.take_request(actor=citizen, request=req)
        with self.assertRaises(PermissionDenied):  # another department's clerk
            services.take_request(actor=self.p.outsider_b, request=req)
        self.as_user("clerk_a")
        response = self.client.post(f"/assistant/requests/{req.pk}/take/", follow=True)
        self.assertContains(response, "已受理")
        req.refresh_from_db()
        self.assertEqual((req.status, req.taken_by), (AssistStatus.TAKEN, self.p.clerk_a))
        with self.assertRaises(ServiceError):
            services.close_request(actor=self.p.clerk_a, request=req, outcome="case")
        with self.assertRaises(ServiceError):
            services.close_request(actor=self.p.clerk_a, request=req, outcome="case", case_number="NO-SUCH-CASE")
        response = self.client.post(f"/assistant/requests/{req.pk}/close/",
                                    {"outcome": "answered", "note": "电话指导填表"}, follow=True)
        self.assertContains(response, "已办结")
        req.refresh_from_db()
        self.assertEqual((req.status, req.outcome), (AssistStatus.CLOSED, "answered"))
        with self.assertRaises(ServiceError):
            services.close_request(actor=self.p.clerk_a, request=req, outcome="answered")
        self.assertEqual(AssistRequest.objects.restrict(self.p.outsider_b, "view").count(), 0)


class _FakeModel(BaseHTTPRequestHandler):
    reply = ""

    def do_POST(self):
        length = int(self.headers.get("Content-Length", 0))
        type(self).received = json.loads(self.rfile.read(length))
        body = json.dumps({"choices": [{"message": {"content": type(self).reply}}]}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        """Quiet: the test output is not the place for the fake server's access log."""


class LlmTests(AssistantTestCase):
    def test_off_by_default_and_grounded_replies_only(self):
        card = answer("开个体户要带什么材料")[0]["card"]
        self.assertIsNone(llm.phrase("开个体户", [card]))
        server = HTTPServer(("127.0.0.1", 0), _FakeModel)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        code = card["implementation_code"]
        env = {"ZHENGSHU_ASSISTANT_LLM_URL": f"http://127.0.0.1:{server.server_port}/v1",
               "ZHENGSHU_ASSISTANT_LLM_MODEL": "local"}
        try:
            with mock.patch.dict("os.environ", env):
                _FakeModel.reply = f"请带身份证件和申请表【{code}】。可在浙里办全程网办【{code}】。"
                self.assertEqual(llm.phrase("开个体户", [card]), _FakeModel.reply)
                self.assertIn(code, _FakeModel.received["messages"][0]["content"])
                _FakeModel.reply = f"请带身份证件【{code}】。另外还要交五百元押金。"
                self.assertIsNone(llm.phrase("开个体户", [card]))
                _FakeModel.reply = "请带户口簿【11330481MA2B00000Y4330100000000】。"
                self.assertIsNone(llm.phrase("开个体户", [card]))
        finally:
            server.shutdown()
            server.server_close()
