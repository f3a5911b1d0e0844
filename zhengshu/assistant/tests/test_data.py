"""The shipped knowledge and labelled set are well-formed (no database needed)."""

import json
from collections import Counter

from django.test import SimpleTestCase

from zhengshu.assistant.demo import DATA, read_aliases, read_faq
from zhengshu.assistant.engine import Knowledge
from zhengshu.govservices.demo import CITY_ITEMS, TOWN_ITEMS

DEMO_NAMES = {n for items in CITY_ITEMS.values() for n, _k in items} | {n for n, _k in TOWN_ITEMS}


class ShippedDataTests(SimpleTestCase):
    def test_labelled_set_has_enough_questions_a_holdout_and_real_targets(self):
        rows = [json.loads(line) for line in (DATA / "questions.jsonl").read_text(encoding="utf-8").splitlines()]
        self.assertGreaterEqual(len(rows), 200)
        self.assertEqual(len({r["question"] for r in rows}), len(rows))
        splits = Counter((r["split"], bool(r["target_names"])) for r in rows)
        self.assertGreaterEqual(splits[("holdout", True)], 40)
        self.assertGreaterEqual(splits[("holdout", False)] + splits[("train", False)], 25)
        unknown = {n for r in rows for n in r["target_names"] if n not in DEMO_NAMES}
        self.assertEqual(unknown, set())

    def test_aliases_and_faq_parse_and_point_to_the_catalogue(self):
        aliases = read_aliases()
        self.assertGreaterEqual(len(aliases), 300)
        self.assertEqual(len({(p, t) for p, t, _n in aliases}), len(aliases))
        faqs = read_faq()
        self.assertGreaterEqual(len(faqs), 20)
        self.assertEqual({n for f in faqs for n in f["item_names"] if n not in DEMO_NAMES}, set())

    def test_alias_expansion_is_longest_first_without_overlaps(self):
        kb = Knowledge()
        kb.set_aliases([("身份证", "居民身份证"), ("身份证丢", "居民身份证补领"), ("丢了", "补领")])
        self.assertEqual(kb.expand("身份证丢了怎么办").split(), ["居民身份证补领", "了怎么办"])
        self.assertEqual(kb.expand("公积金"), "公积金")
