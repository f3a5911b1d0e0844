from zhengshu.accounts.models import User
from zhengshu.accounts.views import USER
from zhengshu.core.services import create_object
from zhengshu.core.testing import ModelViewTestCase


class UserViewTests(ModelViewTestCase):
    config = USER
    api_url = "/api/v1/accounts/users/"
    writer = "sysadmin"

    def make_object(self):
        return create_object(actor=self.p.sysadmin, model=User, data={
            "username": "window_01", "full_name": "孙悦", "department": self.p.dept_a,
            "phone": "13812345678", "id_number": "330481199001011234",
        })

    def form_data(self):
        return {"username": "window_02", "full_name": "周涛", "kind": "staff", "department": self.p.dept_a.pk,
                "phone": "13900001111", "is_active": "on"}

    def edit_changes(self):
        return {"username": "window_01", "full_name": "孙悦悦"}

    def test_it_masks_personal_data_in_pages_and_api(self):
        self.as_user("clerk_a")
        page = self.client.get(self.url("detail", self.obj)).content.decode()
        self.assertNotIn("13812345678", page)
        self.assertIn("138****5678", page)
        body = self.client.get(self.api_detail(self.obj)).json()
        self.assertEqual(body["phone"], "138****5678")
        self.assertEqual(body["id_number"], "330481********1234")
