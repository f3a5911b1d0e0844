"""Answering a question: retrieval result → item card, alternatives, FAQ answer; and the question log.

Used by the page, the API and the command, so the three answer the same way.
"""

from __future__ import annotations

import secrets

from django.urls import NoReverseMatch, reverse

from zhengshu.assistant.engine import Hit, Result, knowledge

MAX_INPUT = 500  # longer input is refused with a message (the page and the API limit it too); the log keeps 500
LIMIT_UNITS = {"workday": "个工作日", "calendar_day": "个自然日"}
ONLINE_FORMS = ("2", "3")


def _url(name: str, code: str) -> str:
    try:
        return reverse(name, args=[code])
    except NoReverseMatch:
        return ""


def time_text(data: dict) -> str:
    if data.get("is_immediate"):
        return "即办（当场办结）"
    parts = []
    if data.get("promised_limit"):
        parts.append(f"承诺{data['promised_limit']}{LIMIT_UNITS.get(data.get('promised_limit_unit'), '个工作日')}")
    if data.get("legal_limit"):
        parts.append(f"法定{data['legal_limit']}{LIMIT_UNITS.get(data.get('legal_limit_unit'), '个工作日')}")
    return "，".join(parts) or "以窗口告知为准"


def card(hit: Hit) -> dict:
    """The item card: what to bring, how long, cost, where, online link."""
    data, doc = hit.item.data, hit.item
    forms = data.get("handling_forms") or []
    online = any(f in forms for f in ONLINE_FORMS)
    full_online = online and data.get("online_depth") == "4"
    materials = [{"name": m.get("name", ""), "originals": m.get("originals") or 0, "copies": m.get("copies") or 0,
                  "required": bool(m.get("required", True)), "may_be_missing": bool(m.get("may_be_missing")),
                  "commitment_allowed": bool(m.get("commitment_allowed"))}
                 for m in data.get("materials") or []]
    return {
        "implementation_code": doc.code,
        "name": doc.name,
        "department": doc.department_name,
        "score": round(hit.score, 3),
        "materials": materials,
        "time_limit": time_text(data),
        "visits": data.get("visits") or 0,
        "fee": ("收费" + (f"（依据：{data['fee_basis']}）" if data.get("fee_basis") else "")) if data.get("fee")
        else "不收费",
        "address": data.get("handling_address") or "",
        "hours": data.get("handling_time") or "",
        "phone": data.get("consult_phone") or "",
        "conditions": (data.get("acceptance_conditions") or "")[:300],
        "online": "全程网办：浙里办或政务服务网搜索事项名称即可在线申请" if full_online
        else ("可网上申请，部分环节需到现场" if online else "须到窗口办理"),
        "guide_url": _url("govservices:guide_detail", doc.code),
        "apply_url": _url("cases:apply", doc.code) if online else "",
    }


def brief(hit: Hit) -> dict:
    return {"implementation_code": hit.item.code, "name": hit.item.name, "department": hit.item.department_name,
            "score": round(hit.score, 3), "guide_url": _url("govservices:guide_detail", hit.item.code)}


def refusal(question: str, message: str, reason: str) -> dict:
    return {"question": question, "no_answer": True, "refused": reason, "message": message, "confidence": 0.0,
            "intents": [], "card": None, "alternatives": [], "faq": None, "phrasing": None}


def check_input(question) -> dict | None:
    """A refusal for input that cannot be a question, else None."""
    if not isinstance(question, str):
        return refusal("", "请用文字输入您的问题。", "not_text")
    text = question.strip()
    if not text:
        return refusal(question, "请先输入您想办的事，例如“开个体户要带什么材料”。", "empty")
    if len(question) > MAX_INPUT:
        return refusal(question[:200], f"问题太长（超过 {MAX_INPUT} 字），请用一两句话（{MAX_INPUT} 字以内）描述想办的事。",
                       "too_long")
    if "\x00" in question:
        return refusal(question[:200], "问题中含有无法识别的字符，请重新输入。", "bad_chars")
    return None


def answer(question: str, *, town_id: int | None = None, with_phrasing: bool = False) -> tuple[dict, Result | None]:
    """The full answer to one question (not logged)."""
    refused = check_input(question)
    if refused is not None:
        return refused, None
    result = knowledge().search(question, town_id=town_id)
    out = {"question": question, "no_answer": result.no_answer, "refused": result.refused,
           "confidence": round(result.confidence, 3), "intents": result.intents, "card": None,
           "alternatives": [], "faq": None, "phrasing": None}
    if result.no_answer:
        out["message"] = ("暂时没有找到与您的问题对应的办事事项。您的问题已记录，工作人员会补充到知识库；"
                          "也可以点“转人工”请工作人员帮办，或拨打 12345。")
        if not any("\u3400" <= ch <= "\u9fff" for ch in question):
            out["message"] = "目前只支持用中文提问，请用中文描述您想办的事，例如“社保卡丢了怎么补办”。"
        out["alternatives"] = [brief(h) for h in result.hits[:3]]  # "您是不是想问" (not an answer)
        return out, result
    if result.faq is not None:
        out["faq"] = {"question": result.faq.question, "answer": result.faq.answer}
    if result.hits:
        out["card"] = card(result.hits[0])
        out["alternatives"] = [brief(h) for h in result.hits[1:]]
        out["message"] = f"为您找到“{result.hits[0].item.name}”。"
    else:
        out["message"] = "请看下面的解答。"
    if with_phrasing:
        from zhengshu.assistant import llm

        cards = [card(h) for h in result.hits[:3]] if result.hits else []
        from zhengshu.assistant.privacy import mask_personal

        # The model server sees the question with ID numbers, phone numbers and names masked.
        out["phrasing"] = llm.phrase(mask_personal(question), cards, out["faq"])
    return out, result


def compact(out: dict, result: Result | None) -> dict:
    """The command's JSON line: {"question", "answers": [{implementation_code, name, score}], "no_answer"}."""
    answers = []
    if result is not None and not out["no_answer"]:
        answers = [{"implementation_code": h.item.code, "name": h.item.name, "score": round(h.score, 3)}
                   for h in result.hits]
    return {"question": out["question"], "answers": answers, "no_answer": out["no_answer"]}


def ask_and_log(question, *, user=None, channel: str = "web", town_id: int | None = None,
                with_phrasing: bool = False) -> dict:
    """Answer and write the question log (the unanswered queue is the log's no-answer rows)."""
    from zhengshu.assistant.logbook import log_question

    out, result = answer(question, town_id=town_id, with_phrasing=with_phrasing)
    entry = log_question(question if isinstance(question, str) else "", out, user=user, channel=channel,
                         token=secrets.token_hex(16))
    out["log_id"], out["token"] = entry.pk, entry.token
    return out
