"""The database as a job queue: claimed once, failures recorded, the worker stops on SIGTERM."""

import os
import signal
import threading

from django.core.management import call_command

from zhengshu.core import jobs
from zhengshu.core.models import Job, JobStatus
from zhengshu.core.testing import PersonaTestCase


@jobs.job_kind("test.fail")
def _fail(payload):
    raise ValueError("数据源不可用")


class JobTests(PersonaTestCase):
    def test_it_lets_only_one_worker_claim_a_job(self):
        job = jobs.enqueue("core.verify_audit_chain", actor=self.p.clerk_a)
        first, second = jobs.claim("w1"), jobs.claim("w2")
        self.assertEqual(first.pk, job.pk)
        self.assertIsNone(second)
        self.assertEqual(Job.objects.get(pk=job.pk).worker, "w1")

    def test_it_runs_a_job_and_records_the_result(self):
        job = jobs.enqueue("core.verify_audit_chain")
        self.assertTrue(jobs.run_once())
        job.refresh_from_db()
        self.assertEqual(job.status, JobStatus.DONE)
        self.assertTrue(job.result["ok"])
        self.assertFalse(jobs.run_once())

    def test_it_records_a_failure_and_goes_on(self):
        failing = jobs.enqueue("test.fail")
        ok = jobs.enqueue("core.verify_audit_chain")
        call_command("worker", stdout=open(os.devnull, "w"))
        failing.refresh_from_db()
        ok.refresh_from_db()
        self.assertEqual(failing.status, JobStatus.FAILED)
        self.assertIn("数据源不可用", failing.error)
        self.assertEqual(ok.status, JobStatus.DONE)

    def test_it_refuses_an_unknown_kind(self):
        with self.assertRaises(ValueError):
            jobs.enqueue("no.such.kind")

    def test_the_loop_stops_cleanly_on_sigterm(self):
        worker = jobs.Worker(idle_seconds=0.2)
        timer = threading.Timer(0.5, os.kill, args=(os.getpid(), signal.SIGTERM))
        timer.start()
        try:
            done = worker.loop()
        finally:
            timer.cancel()
        self.assertTrue(worker.stopping)
        self.assertEqual(done, 0)
        self.assertNotEqual(signal.getsignal(signal.SIGTERM), worker.stop)
