from zhengshu.core.services import create_object
from zhengshu.core.testing import ModelViewTestCase
from zhengshu.orgs.models import Department
from zhengshu.orgs.views import DEPARTMENT, DIVISION


class DepartmentViewTests(ModelViewTestCase):
    config = DEPARTMENT
    api_url = "/api/v1/orgs/departments/"
    writer = "sysadmin"
    outsider = None  # the department directory is open to all staff

    def make_object(self):
        return create_object(actor=self.p.sysadmin, model=Department, data={
            "code": "HN-TEST", "name": "海宁市测试局", "division": self.p.divisions.haining, "parent": self.p.gov,
        })

    def form_data(self):
        return {"name": "海宁市新设局", "code": "HN-NEW", "level": "city", "parent": self.p.gov.pk,
                "division": "330481", "sort_order": 5, "is_active": "on"}

    def edit_changes(self):
        return {"name": "海宁市测试局（更名）", "code": "HN-TEST"}

    def test_it_refuses_an_invalid_credit_code_with_the_reason(self):
        self.as_user("sysadmin")
        response = self.client.post(self.url("add"), {**self.form_data(), "uscc": "91330481MA2B3C4D5E"})
        self.assertEqual(response.status_code, 400)
        self.assertIn("校验码", response.context["form"].errors["uscc"][0])

    def test_it_keeps_the_tree_path_when_a_department_moves(self):
        child = create_object(actor=self.p.sysadmin, model=Department, data={
            "code": "HN-CHILD", "name": "下属单位", "division": self.p.divisions.haining, "parent": self.obj})
        self.assertTrue(child.path.startswith(self.obj.path))
        self.assertIn(child.pk, self.obj.subtree_ids())
        self.obj.parent = self.p.dept_a
        self.obj.save()
        child.refresh_from_db()
        self.assertTrue(child.path.startswith(self.p.dept_a.path))
        self.assertIn(child.pk, self.p.dept_a.subtree_ids())


class DivisionViewTests(ModelViewTestCase):
    config = DIVISION
    api_url = "/api/v1/orgs/divisions/"
    outsider = None

    def make_object(self):
        return self.p.divisions.xiashi
