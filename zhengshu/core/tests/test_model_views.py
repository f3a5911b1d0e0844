"""Every page and API endpoint of the core models, from data alone (see core.testing)."""

from datetime import date

from zhengshu.core import jobs
from zhengshu.core.models import CalendarOverride
from zhengshu.core.services import create_object
from zhengshu.core.testing import ModelViewTestCase
from zhengshu.core.views import CALENDAR, JOBS


class CalendarOverrideViewTests(ModelViewTestCase):
    config = CALENDAR
    api_url = "/api/v1/core/calendar/"
    writer = "clerk_a"

    def make_object(self):
        return create_object(actor=self.p.clerk_a, model=CalendarOverride, data={
            "date": date(2027, 3, 2), "kind": "holiday", "citywide": False, "department": self.p.dept_a,
            "reason": "便民服务中心搬迁闭厅",
        })

    def form_data(self):
        return {"date": "2027-03-03", "kind": "holiday", "department": self.p.dept_a.pk, "reason": "搬迁第二天"}

    def edit_changes(self):
        return {"date": "2027-03-02", "reason": "搬迁闭厅（延长）"}

    def test_it_refuses_a_clerk_saving_a_day_for_another_department(self):
        self.as_user("clerk_a")
        response = self.client.post(self.url("add"), {**self.form_data(), "department": self.p.dept_b.pk})
        self.assertEqual(response.status_code, 400)
        self.assertFalse(CalendarOverride.objects.filter(department=self.p.dept_b).exists())


class JobViewTests(ModelViewTestCase):
    config = JOBS
    api_url = "/api/v1/core/jobs/"

    def make_object(self):
        return jobs.enqueue("core.verify_audit_chain", actor=self.p.clerk_a)
