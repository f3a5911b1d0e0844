"""Chinese text handling for the Q&A index: normalisation, word segmentation (rjieba, dictionary in the wheel)
and character n-grams.

Tokens carry a prefix so the kinds never collide in one index: ``w:`` words, ``b:`` character bigrams,
``u:`` single characters (used on the item name only, for typos and very short questions).
"""

from __future__ import annotations

import re
import unicodedata

import rjieba

# Common traditional forms (Hong Kong / Taiwan input) → simplified, enough for 政务 questions.
_TRAD_TO = ("户证营业执办险会医养驾车动产书号据请报税际妇婴儿学岁积个体迁补领换续注销变开关么点样这们还给为吗里钱贷疗费门诊药师"
            "婚离结务机构记录灾难残废应价乡镇区县网线员陆龙宝买卖处转阅读听说话时间问题条规范标准单码电话护照签态农渔协"
            "粮运输权担当轻属历龄两只无现条证卫厅馆检验测义帮种类从陈顾头实给资质认导择厂场抢表系带")
_TRAD = str.maketrans(dict(zip(
    "戶證營業執辦險會醫養駕車動產書號據請報稅際婦嬰兒學歲積個體遷補領換續註銷變開關麼點樣這們還給為嗎裡錢貸療費門診藥師"
    "婚離結務機構記錄災難殘廢應價鄉鎮區縣網線員陸龍寶買賣處轉閱讀聽說話時間問題條規範標準單碼電話護照簽態農漁協"
    "糧運輸權擔當輕屬歷齡兩隻無現條證衛廳館檢驗測義幫種類從陳顧頭實給資質認導擇廠場搶錶係帶", _TRAD_TO, strict=True)))
# More traditional forms seen in questions (pairs: traditional, simplified).
_MORE = (
    "見见覺觉親亲傳传對对過过進进達达連连選选郵邮長长陽阳雜杂靈灵項项順顺須须顯显風风飯饭馬马駛驶發发與与專专東东嚴严喪丧豐丰臨临舉举樂乐習习亂乱爭争雲云亞亚畝亩億亿優优傷伤偽伪餘余貼贴補补銀银費费責责貧贫"
    "購购貨货賠赔質质額额顧顾驗验種种稅税繳缴網网絡络給给統统經经總总線线練练組组細细終终紹绍維维證证讓让認认議议許许設设訴诉診诊評评識识變变護护調调談谈請请諮咨詢询遺遗閉闭開开間间關关闆板陸陆際际隊队險险"
    "雙双難难離离電电須须預预領领頭头題题額额類类飛飞養养鬧闹齡龄龍龙廢废廣广庫库應应張张歸归當当錄录後后徵征態态懷怀戰战擔担據据擇择擁拥攜携數数斷断時时書书會会條条來来東东檢检樓楼機机權权歡欢氣气漢汉淨净"
    "滅灭為为無无煙烟營营獎奖現现環环產产畫画療疗發发監监盡尽礦矿碼码禮礼稱称窮穷競竞筆笔節节簡简糧粮繫系續续罰罚聯联聽听職职膽胆腦脑興兴艱艰藝艺蘇苏虛虚號号處处蟲虫衛卫裝装複复製制規规視视覽览觀观證证貸贷"
    "賣卖賬账購购車车軟软較较載载辦办農农邊边鄰邻醫医針针鐵铁錯错鎮镇長长門门開开閱阅陳陈隨随雞鸡韓韩頁页顏颜風风飲饮驅驱體体鬆松魚鱼鳥鸟麥麦黃黄點点齊齐"
)
_TRAD.update({ord(_MORE[i]): ord(_MORE[i + 1]) for i in range(0, len(_MORE), 2)})

_HAN = re.compile(r"[\u3400-\u9fff]+")
_ASCII_WORD = re.compile(r"[a-z0-9]+")
_SPACE = re.compile(r"\s+")

# Words that say nothing about which item is meant (question words, pronouns, politeness, particles).
STOPWORDS = frozenset("""
我 你 他 她 它 我们 你们 咱 咱们 俺 本人 自己 家里 家人 请问 问下 问一下 一下 想问 想 要 想要 需要 要求 应该 得 该 能 能不能 可以
可不可以 可否 是否 是不是 有没有 有 没有 吗 呢 吧 啊 呀 哦 哈 嘛 了 的 地 之 着 过 和 与 及 或 或者 还是 在 去 到 从 给 把 被 让 对 向 往
怎么 怎么样 怎样 如何 咋 咋办 怎么办 啥 什么 哪些 哪个 哪里 哪儿 哪 多少 几 为什么 是 都 也 就 还 又 再 才 很 太 最 非常 这 那 这个
那个 这些 那些 一个 个 些 点 下 里 上 办 办理 搞 弄 整 申请 手续 流程 问 帮 帮忙 谢谢 您好 你好 麻烦 急 现在 今天 马上 一定 已经 刚
刚刚 之前 以后 后 前 时候 会 用 拿 去哪 去哪里 哪儿办 在哪儿 能否 行不行 行 好 呢 么 嘞 咧 哇 喔 诶 唉 啦 滴 噶 伐 么事 点样 点解
唔 咗 嘅 係 啲 乜 乜嘢 边度 边个 俾 佢 冇 喺 咩 嘢 噉 咁 侬 阿拉 伊 晓得 晓不晓得 弄好 办好 搞定 搞掂 想知道 知道 了解 咨询 来 呀 带 海宁 海宁市 本地 这里 那里 这边
""".split())


def normalize(text: str) -> str:
    """NFKC (full-width → half-width), lower case, traditional → simplified for common characters, one space."""
    text = unicodedata.normalize("NFKC", text or "").lower().translate(_TRAD)
    return _SPACE.sub(" ", text).strip()


def han_runs(text: str) -> list[str]:
    return _HAN.findall(text)


def bigrams(run: str) -> list[str]:
    if len(run) == 1:
        return [run]
    return [run[i:i + 2] for i in range(len(run) - 1)]


def _content_runs(text: str) -> tuple[list[str], list[str]]:
    """(runs of content words with stopwords cut out, the content words)."""
    runs, words, current = [], [], []
    for token in rjieba.cut(text):
        token = token.strip()
        if not token or token in STOPWORDS or not (_HAN.fullmatch(token) or _ASCII_WORD.fullmatch(token)):
            if current:
                runs.append("".join(current))
                current = []
            continue
        words.append(token)
        if _HAN.fullmatch(token):
            current.append(token)
        elif current:
            runs.append("".join(current))
            current = []
    if current:
        runs.append("".join(current))
    return runs, words


def field_tokens(text: str, *, unigrams: bool = False) -> list[str]:
    """Index tokens of one field of a document (already normalised or not)."""
    text = normalize(text)
    tokens = []
    for run in han_runs(text):
        # two-character words are exactly their bigram: indexed once, as ``b:``
        tokens += ["w:" + w for w in rjieba.cut_for_search(run) if len(w) > 2]
        tokens += ["b:" + b for b in bigrams(run)]
        if unigrams:
            tokens += ["u:" + c for c in run]
    tokens += ["w:" + w for w in _ASCII_WORD.findall(text)]
    return tokens


def query_tokens(text: str) -> dict[str, float]:
    """Weighted query tokens: content words (1.2), their search sub-words, bigrams within content runs (1.0)
    and characters (0.3)."""
    runs, words = _content_runs(normalize(text))
    weights: dict[str, float] = {}

    def add(token: str, weight: float) -> None:
        weights[token] = max(weights.get(token, 0.0), weight)

    for word in words:
        if len(word) > 2 or not _HAN.fullmatch(word):
            add("w:" + word, 1.2)
        elif len(word) == 2:
            add("b:" + word, 1.2)
        if _HAN.fullmatch(word) and len(word) > 2:
            for sub in rjieba.cut_for_search(word):
                if sub != word and len(sub) > 1:
                    add("w:" + sub, 0.8)
    for run in runs:
        for bg in bigrams(run):
            add("b:" + bg, 1.0)
        for ch in run:
            add("u:" + ch, 0.3)
    return weights
