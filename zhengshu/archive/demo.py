"""Demo data of 一企一档: eight small department resources about ~400 Haining enterprises, ingested through
the real pipeline into ``DATA_DIR/pipeline``, then an archive build.

The first enterprises reuse the USCCs and names of trading's demo enterprises, so their bids and contracts
appear in their archives; the others are invented and marked 演示 in the registry's industry. Noise, as in
real deliveries: records with only the organisation code (also as ``XXXXXXXX-X``), records with only a name
in a variant (``海宁市`` prefix, spaces, brackets, ``股份公司``), and a few penalties of companies absent from
the registry whose names are one character away from a registered one — they wait in the review queue.
Deterministic: a second run ingests nothing new (same content = same batch) and the build is a no-op.
"""

from __future__ import annotations

import random

from zhengshu.core.demo import seeder

N_EXTRA = 320
INDUSTRIES = ("纺织业", "皮革、毛皮、羽毛及其制品和制鞋业", "通用设备制造业", "建筑业", "批发业", "软件和信息技术服务业",
              "电气机械和器材制造业", "化学原料和化学制品制造业")
ROADS = ("文苑路", "海昌路", "水月亭路", "硖川路", "长埭路", "钱江西路", "海宁大道", "工人路", "联合路", "西山路")
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁沈"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚华国海燕红玉婷斌波宇浩凯"
WORDS = ("康达", "瑞丰", "新晨", "宏图", "金诚", "博信", "永泰", "安顺", "嘉盛", "汇丰", "鼎盛", "德润", "恒昌", "华茂",
         "天顺", "众诚", "锦华", "立信", "明辉", "盛达")
TRADES = ("经编", "皮革", "纺织", "家纺", "光伏科技", "电子", "机械", "食品", "物流", "服饰", "新材料", "包装", "印染", "五金",
          "塑业", "建材")
DECOY_SWAP = {"达": "大", "盛": "胜", "华": "化", "昌": "长", "信": "新", "丰": "风", "顺": "舜", "诚": "成"}


def enterprises() -> list[tuple[str, str]]:
    """(USCC, registered name) of the demo enterprises: trading's first, then the invented ones."""
    from zhengshu.archive.fixtures import make_uscc
    from zhengshu.trading import demo as trading_demo

    out = []
    for i, word in enumerate(trading_demo.WORDS):
        for j, trade in enumerate(trading_demo.TRADES[:3] if i < 20 else trading_demo.SUPPLIERS[:2]):
            out.append((trading_demo.make_uscc(1000 + i * 10 + j), f"海宁{word}{trade}有限公司（演示）"))
    out.append(("91330481MA2B00000Y", "海宁市示范皮革有限公司"))
    seen = {name for _u, name in out}
    k = 0
    while len(out) < 80 + 1 + N_EXTRA:
        word, trade = WORDS[k % len(WORDS)], TRADES[(k // len(WORDS)) % len(TRADES)]
        form = "股份有限公司" if k % 9 == 0 else "有限公司"
        name = f"海宁{word}{trade}{form}"
        if name not in seen:
            seen.add(name)
            out.append((make_uscc(5000 + k), name))
        k += 1
    return out


def _variant(name: str, rng: random.Random) -> str:
    """A name as another department writes it; normalises to the registered name."""
    choice = rng.randrange(5)
    if choice == 0 and name.startswith("海宁") and not name.startswith("海宁市"):
        return "海宁市" + name[2:]
    if choice == 1:
        return name.replace("（", "(").replace("）", ")") if "（" in name else name[:2] + " " + name[2:]
    if choice == 2 and "股份有限公司" in name:
        return name.replace("股份有限公司", "股份公司")
    if choice == 3 and name.startswith("海宁") and not name.startswith("海宁市"):
        return name[2:]
    return name.replace("有限公司", " 有限公司")


def _decoy(name: str) -> str | None:
    for i, ch in enumerate(name):
        if i >= 2 and ch in DECOY_SWAP:
            return name[:i] + DECOY_SWAP[ch] + name[i + 1:]
    return None


def _date(rng: random.Random, start: int = 2021, end: int = 2024) -> str:
    return f"{rng.randint(start, end)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"


def _person(rng) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.5 else "")


def rows(rng: random.Random) -> dict[str, list[dict]]:
    """The rows of every demo resource (kind → rows)."""
    firms = enterprises()
    out: dict[str, list[dict]] = {k: [] for k in ("registration", "tax", "social", "credit_red", "credit_black",
                                                   "penalty", "licence", "policy")}
    for n, (uscc, name) in enumerate(firms):
        out["registration"].append({
            "uscc": uscc, "ent_name": name, "legal_rep": _person(rng),
            "capital": f"{rng.choice((50, 100, 200, 500, 1000, 3000))}万元",
            "industry": INDUSTRIES[n % len(INDUSTRIES)] + ("（演示）" if n > 80 else ""),
            "address": f"浙江省海宁市{rng.choice(ROADS)}{rng.randint(1, 300)}号", "status": "注销" if n % 37 == 5 else "存续",
            "established": _date(rng, 1995, 2020)})

    def subject(uscc, name, kind_noise=True):
        """(uscc, org_code, name) as a department delivers them: mostly the USCC, sometimes less."""
        roll = rng.random()
        if roll < 0.08 and kind_noise:
            org = uscc[8:17]
            return None, (org[:8] + "-" + org[8] if rng.random() < 0.5 else org), name
        if roll < 0.16 and kind_noise:
            return None, None, _variant(name, rng)
        return uscc, None, name

    for n, (uscc, name) in enumerate(firms):
        for y in range(rng.randint(1, 3)):
            u, _o, nm = subject(uscc, name)
            out["tax"].append({"record_no": f"SW{n:04d}{y}", "uscc": u or "", "taxpayer": nm,
                               "period": f"{2021 + y}-12-31", "amount": f"{rng.randint(2, 900) * 1000}",
                               "tax_kind": rng.choice(("增值税", "企业所得税", "城市维护建设税"))})
        if n % 3 != 2:
            u, o, nm = subject(uscc, name)
            out["social"].append({"record_no": f"SB{n:04d}", "uscc": u or "", "org_code": o or "", "unit_name": nm,
                                  "month": _date(rng, 2023, 2024), "insured": rng.randint(3, 400)})
        if n % 4 == 0:
            u, _o, nm = subject(uscc, name)
            out["licence"].append({"permit_no": f"XK{n:05d}", "uscc": u or "", "holder": nm,
                                   "issued_on": _date(rng, 2019, 2023), "valid_to": _date(rng, 2025, 2029),
                                   "scope": rng.choice(("食品经营", "排污许可", "建筑施工", "危险化学品经营", "道路货物运输"))})
        if n % 7 == 0:
            u, _o, nm = subject(uscc, name)
            out["policy"].append({"grant_no": f"ZC{n:05d}", "uscc": u or "", "beneficiary": nm, "paid_on": _date(rng),
                                  "policy": rng.choice(("技术改造补助", "稳岗返还", "专精特新奖励", "外贸稳增长补助")),
                                  "amount": f"{rng.randint(1, 50) * 10000}"})
        if n % 11 == 3:
            out["credit_red"].append({"list_no": f"HM{n:05d}", "uscc": uscc, "subject": name, "listed_on": _date(rng),
                                      "reason": "A级纳税人", "authority": "海宁市税务局"})
        if n % 29 == 4:
            out["credit_black"].append({"list_no": f"HEI{n:05d}", "uscc": uscc, "subject": name,
                                        "listed_on": _date(rng), "reason": "拖欠农民工工资", "authority": "海宁市人力社保局"})
        if n % 9 == 1:
            u, o, nm = subject(uscc, name)
            out["penalty"].append({"case_no": f"海市监罚〔2023〕{n}号", "uscc": u or "", "org_code": o or "",
                                   "party": nm, "decided_on": _date(rng, 2022, 2024),
                                   "facts": rng.choice(("未按规定公示年度报告", "销售不合格产品", "超标排放")),
                                   "fine": f"{rng.randint(1, 30) * 1000}"})
    decoys = 0
    for n, (_uscc, name) in enumerate(firms[81:], start=81):
        fake = _decoy(name)
        if fake and decoys < 4 and n % 5 == 0:
            decoys += 1
            out["penalty"].append({"case_no": f"海综执罚〔2024〕{n}号", "uscc": "", "org_code": "", "party": fake,
                                   "decided_on": _date(rng, 2024, 2024), "facts": "无证经营（当事人未在本市登记）",
                                   "fine": "5000"})
    return out


@seeder(350, "一企一档")
def seed_archive() -> str:
    from django.contrib.auth import get_user_model

    from zhengshu.archive import lake
    from zhengshu.archive.fixtures import AUTHORITY, CATEGORY, SCHEMAS, ingest_rows
    from zhengshu.archive.models import ArchiveSource
    from zhengshu.archive.permissions import grant_archive
    from zhengshu.archive.services import _build
    from zhengshu.core.context import change_context

    users = {u.username: u for u in get_user_model().objects.filter(username__in=(
        "clerk_a", "colleague_a", "auditor", "dataofficer", "supervisor"))}
    grant_archive(users)
    data = rows(random.Random(350))
    store = lake.get_store()
    new = 0
    with change_context(actor=None, message="演示数据：一企一档", source="demo"):
        for kind, schema in SCHEMAS.items():
            source = ArchiveSource.objects.filter(resource_code=schema["resource"]).first() \
                or ArchiveSource(resource_code=schema["resource"])
            source.name, source.category = schema["name"], CATEGORY[kind]
            source.authority, source.schema, source.enabled = AUTHORITY.get(kind, 100), schema, True
            source.save()
            result = ingest_rows(store, kind, data[kind], name=f"{kind}-demo.csv")
            new += 0 if result.get("existing") else 1
        run = _build(None, full=False)
    return (f"{run.enterprises} 家企业，已关联记录 {run.linked} 条，未关联 {run.unlinked} 条，待复核 {run.review} 项"
            f"（新归集批次 {new} 个）")
