"""Two window clerks press 受理 on the same case at the same moment, each in a transaction of its own (two
threads, two connections): exactly one acceptance, one clock start; the other clerk is told it was taken.

Only on PostgreSQL: SQLite lets one writer at a time, so there is no race to lose there (the stale-page case
is covered for both databases in ``test_transitions``)."""

import threading
import unittest

from django.db import connection, connections
from django.test import TransactionTestCase

from zhengshu.cases import services
from zhengshu.cases.models import Case
from zhengshu.cases.tests.factories import applicant, make_item, personas
from zhengshu.core.services import ServiceError
from zhengshu.core.testing.browser import ChangelogFlushMixin


@unittest.skipUnless(connection.vendor == "postgresql", "并发竞争只在 PostgreSQL 上可测")
class ConcurrentAcceptTests(ChangelogFlushMixin, TransactionTestCase):
    def test_two_clerks_accepting_at_the_same_moment(self):
        from zhengshu.govservices.demo import seed_code_tables

        seed_code_tables()  # an earlier TransactionTestCase may have flushed the migrated code tables
        p = personas()
        case = services.submit_application(actor=p.clerk_a, item=make_item(p.dept_a), **applicant(1))
        barrier = threading.Barrier(2, timeout=30)
        results = {}

        def work(user):
            try:
                mine = Case.objects.get(pk=case.pk)  # both pages show "已提交"
                barrier.wait()
                services.accept(actor=user, case=mine)
                results[user.username] = "受理成功"
            except ServiceError as exc:
                results[user.username] = str(exc)
            finally:
                connections.close_all()

        threads = [threading.Thread(target=work, args=(u,)) for u in (p.clerk_a, p.colleague_a)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        outcomes = sorted(results.values())
        self.assertEqual(len(outcomes), 2, results)
        self.assertEqual(outcomes.count("受理成功"), 1, results)
        self.assertIn("已被其他人员处理（现为“已受理”）", "".join(outcomes))
        case.refresh_from_db()
        self.assertEqual(case.status, "accepted")
        self.assertEqual(case.events.filter(action="accept").count(), 1)
        self.assertEqual(case.clock_events.count(), 1)
