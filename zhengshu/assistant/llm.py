"""Optional phrasing of an answer by a language model inside the government network.

Off unless ``ZHENGSHU_ASSISTANT_LLM_URL`` is set (an OpenAI-compatible ``/v1`` base URL or the full
``…/chat/completions`` URL). The model is given only the retrieved guides and must end every sentence with
the 实施编码 of the item it comes from, written 【编码】; a reply with a sentence that cites nothing, or cites
an item that was not given, is thrown away and the card alone is shown. Any error or timeout → no phrasing:
the assistant works fully without the model.
"""

from __future__ import annotations

import json
import logging
import re
import urllib.error
import urllib.request

from zhengshu.conf import ConfigError, env_str

log = logging.getLogger(__name__)

SYSTEM = ("你是海宁市政务服务智能问答助手。只依据下面给出的办事指南回答群众的问题，不得编造指南中没有的内容。"
          "用简短的中文回答；每一句话末尾必须用【实施编码】标明依据的事项，例如【{example}】。"
          "指南中没有的信息，回答“请以窗口告知为准”并同样标明事项。")
_CITE = re.compile(r"【([0-9A-Z]{31,33})】")
_SENTENCE = re.compile(r"[^。！？!?\n]+[。！？!?]?")


def settings() -> dict | None:
    url = (env_str("ZHENGSHU_ASSISTANT_LLM_URL") or "").strip()
    if not url:
        return None
    try:
        timeout = float(env_str("ZHENGSHU_ASSISTANT_LLM_TIMEOUT") or "8")
    except ValueError:
        raise ConfigError("ZHENGSHU_ASSISTANT_LLM_TIMEOUT 不是数字（秒）") from None
    if not url.endswith("/chat/completions"):
        url = url.rstrip("/") + "/chat/completions"
    return {"url": url, "model": env_str("ZHENGSHU_ASSISTANT_LLM_MODEL") or "", "timeout": timeout,
            "key": env_str("ZHENGSHU_ASSISTANT_LLM_KEY") or ""}


def guide_text(card: dict) -> str:
    materials = "；".join(m["name"] + ("（可容缺）" if m.get("may_be_missing") else "") for m in card["materials"])
    return (f"【{card['implementation_code']}】{card['name']}（{card['department']}）：材料：{materials or '无'}；"
            f"时限：{card['time_limit']}；费用：{card['fee']}；地点：{card['address'] or '—'}，{card['hours'] or ''}；"
            f"网上办理：{card['online']}；咨询电话：{card['phone'] or '12345'}；受理条件：{card['conditions'] or '—'}")


def grounded(text: str, codes: set[str]) -> bool:
    """Every sentence cites at least one given item, and nothing else."""
    sentences = [s.strip() for s in _SENTENCE.findall(text or "") if s.strip(" 　")]
    if not sentences:
        return False
    for sentence in sentences:
        cited = set(_CITE.findall(sentence))
        if not cited or not cited <= codes:
            return False
    return True


def phrase(question: str, cards: list[dict], faq: dict | None = None) -> str | None:
    """The model's grounded reply, or None (off, failed, or not grounded)."""
    conf = settings()
    cards = [c for c in cards if c]
    if conf is None or not cards:
        return None
    codes = {c["implementation_code"] for c in cards}
    context = "\n".join(guide_text(c) for c in cards)
    if faq:
        context += f"\n常见问答：{faq['question']} —— {faq['answer']}（适用于【{cards[0]['implementation_code']}】）"
    body = {"model": conf["model"], "temperature": 0, "messages": [
        {"role": "system", "content": SYSTEM.format(example=cards[0]["implementation_code"]) + "\n办事指南：\n" + context},
        {"role": "user", "content": question[:500]},
    ]}
    headers = {"Content-Type": "application/json"}
    if conf["key"]:
        headers["Authorization"] = f"Bearer {conf['key']}"
    request = urllib.request.Request(conf["url"], data=json.dumps(body, ensure_ascii=False).encode("utf-8"),
                                     headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=conf["timeout"]) as response:  # noqa: S310 (configured URL)
            reply = json.loads(response.read().decode("utf-8"))
        text = reply["choices"][0]["message"]["content"].strip()
    except (urllib.error.URLError, TimeoutError, OSError, ValueError, KeyError, IndexError, TypeError) as exc:
        log.warning("语言模型组织答复失败：%s", exc)
        return None
    if not grounded(text, codes):
        log.warning("语言模型答复未逐句标明依据的事项，已丢弃")
        return None
    return text
