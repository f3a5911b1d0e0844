"""The foundation's page and API checks, run on the case list and the applicant flags from data alone."""

from zhengshu.cases import services
from zhengshu.cases.permissions import grant_case_permissions
from zhengshu.cases.tests.factories import applicant, make_item
from zhengshu.cases.views import CASE_CONFIG, FLAG_CONFIG
from zhengshu.core.testing import ModelViewTestCase


class _Granted(ModelViewTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        grant_case_permissions({k: v for k, v in vars(cls.p).items() if hasattr(v, "username")})
        cls.item = make_item(cls.p.dept_a)


class CaseListPagesTests(_Granted):
    config = CASE_CONFIG
    api_url = "/api/v1/cases/cases/"

    def make_object(self):
        return services.submit_application(actor=self.p.clerk_a, item=self.item, **applicant(1))


class FlagPagesTests(_Granted):
    config = FLAG_CONFIG
    api_url = "/api/v1/cases/flags/"

    def make_object(self):
        return services.flag_applicant(actor=self.p.clerk_a, id_number=applicant(2)["applicant_id_number"],
                                       name="张三", kind="bad_credit", reason="严重失信主体名单")


del _Granted
