"""Test bases: personas, and classes that test every page and API endpoint of a model from data alone.

Personas (the same as the demo's, ``zhengshu.accounts.demo``): ``clerk_a`` and ``colleague_a`` in
department A (市场监管局), ``outsider_b`` in department B (住建局), ``auditor`` (reads the whole
city), and the three admins ``sysadmin``, ``secadmin``, ``auditadmin``.
"""

from __future__ import annotations

from types import SimpleNamespace

from django.test import TestCase

from zhengshu.accounts.demo import ensure_personas
from zhengshu.orgs.choices import DepartmentLevel, DivisionLevel
from zhengshu.orgs.models import Department, Division

__all__ = ["ModelViewTestCase", "PersonaTestCase", "login", "make_personas"]


def make_world() -> SimpleNamespace:
    """The smallest real city: Zhejiang › Jiaxing › Haining › 硖石街道, and four departments."""
    zj = Division.objects.create(code="330000", name="浙江省", level=DivisionLevel.PROVINCE)
    jx = Division.objects.create(code="330400", name="嘉兴市", level=DivisionLevel.PREFECTURE, parent=zj)
    hn = Division.objects.create(code="330481", name="海宁市", level=DivisionLevel.COUNTY, parent=jx)
    xs = Division.objects.create(code="330481001", name="硖石街道", level=DivisionLevel.TOWNSHIP, parent=hn)
    gov = Department.objects.create(code="HN-GOV", name="海宁市人民政府", division=hn)
    return SimpleNamespace(
        divisions=SimpleNamespace(zhejiang=zj, jiaxing=jx, haining=hn, xiashi=xs),
        gov=gov,
        office=Department.objects.create(code="HN-ZSB", name="海宁市政务服务和数据资源管理办公室", division=hn, parent=gov),
        dept_a=Department.objects.create(code="HN-SJJ", name="海宁市市场监督管理局", division=hn, parent=gov),
        dept_b=Department.objects.create(code="HN-ZJJ", name="海宁市住房和城乡建设局", division=hn, parent=gov),
        town=Department.objects.create(code="HN-330481001", name="海宁市硖石街道", division=xs, parent=gov,
                                       level=DepartmentLevel.TOWN),
    )


def make_personas() -> SimpleNamespace:
    world = make_world()
    users = ensure_personas({d.code: d for d in Department.objects.all()})
    return SimpleNamespace(**vars(world), **users)


def login(client, user) -> None:
    """Log a persona in as the login page would leave the session (idle clock started)."""
    from django.utils import timezone

    client.force_login(user)
    session = client.session
    session["zs_last_seen"] = session["zs_login_at"] = timezone.now().isoformat()
    session.save()


class PersonaTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.p = make_personas()

    def as_user(self, name: str):
        user = getattr(self.p, name)
        user.refresh_from_db()
        user.clear_permission_cache()
        self.client.logout()
        login(self.client, user)
        return user


class ModelViewTestCase(PersonaTestCase):
    """Subclass with a model's data only; every page and API endpoint is then tested.

    Set ``config`` (the ModelConfig), ``api_url`` (the list endpoint), ``reader`` (a persona that may
    view the object), ``writer`` (one that may add and change it; None if read-only), ``outsider`` (one
    that must get 404; None when every staff member may see it), and implement ``make_object()``,
    ``form_data()`` and ``api_data()`` for the editable ones.
    """

    config = None
    api_url = ""
    reader = "clerk_a"
    writer: str | None = None
    outsider: str | None = "outsider_b"

    def make_object(self):
        raise NotImplementedError(f"{type(self).__name__} 须实现 make_object()")

    def form_data(self) -> dict:
        raise NotImplementedError(f"{type(self).__name__} 须实现 form_data()")

    def api_data(self) -> dict:
        return self.form_data()

    __test__ = False  # the base itself is not collected where it is imported; its subclasses are

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        cls.__test__ = True

    def setUp(self):
        self.obj = self.make_object()

    def url(self, action: str, obj=None) -> str:
        url = self.config.url(action, obj)
        self.assertIsNotNone(url, f"{action} 页面不存在")
        return url

    def api_detail(self, obj) -> str:
        return f"{self.api_url}{obj.pk}/"

    # --- reading -------------------------------------------------------------------------------

    def test_it_lists_and_shows_the_object_to_its_reader(self):
        self.as_user(self.reader)
        response = self.client.get(self.url("list"))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, self.url("detail", self.obj))
        self.assertEqual(self.client.get(self.url("detail", self.obj)).status_code, 200)
        response = self.client.get(self.api_detail(self.obj))
        self.assertEqual(response.status_code, 200, response.content)
        listed = self.client.get(self.api_url).json()
        self.assertIn(str(self.obj.pk), [str(row.get("id", row.get("code", row.get("seq")))) for row in listed["results"]])

    def test_it_finds_the_object_by_keyword_and_not_by_nonsense(self):
        if not self.config.search_fields:
            self.skipTest("这个列表没有关键词搜索")
        self.as_user(self.reader)
        field = self.config.search_fields[0]
        value = str(getattr(self.obj, field.split("__")[0]))
        found = self.client.get(self.url("list"), {"q": value[:20]})
        self.assertEqual(found.status_code, 200)
        self.assertContains(found, self.url("detail", self.obj))
        missed = self.client.get(self.url("list"), {"q": "不存在的关键词ZZQX"})
        self.assertEqual(missed.status_code, 200)
        self.assertNotContains(missed, self.url("detail", self.obj))

    def test_it_answers_404_to_the_outsider_in_pages_and_api(self):
        if self.outsider is None:
            self.skipTest("every staff member may see this model")
        self.as_user(self.outsider)
        response = self.client.get(self.url("list"))
        self.assertIn(response.status_code, (200, 403))
        if response.status_code == 200:
            self.assertNotContains(response, self.url("detail", self.obj))
        self.assertEqual(self.client.get(self.url("detail", self.obj)).status_code, 404)
        for action in ("edit", "delete"):
            url = self.config.url(action, self.obj)
            if url:
                self.assertEqual(self.client.get(url).status_code, 404, url)
                self.assertEqual(self.client.post(url, {}).status_code, 404, url)
        detail = self.api_detail(self.obj)
        response = self.client.get(detail)
        self.assertEqual(response.status_code, 404)
        self.assertEqual(set(response.json()), {"detail", "errors"})
        if self.writer:
            self.assertIn(self.client.put(detail, {}, content_type="application/json").status_code, (403, 404))
            self.assertIn(self.client.delete(detail).status_code, (403, 404))
        ids = [str(row.get("id", row.get("seq"))) for row in self.client.get(self.api_url).json().get("results", [])]
        self.assertNotIn(str(self.obj.pk), ids)

    def test_it_exports_the_list_as_excel(self):
        from io import BytesIO

        from openpyxl import load_workbook

        from zhengshu.core.models import ChangeAction, ChangeLogEntry

        self.as_user(self.reader)
        response = self.client.get(self.url("list") + "?export=xlsx")
        self.assertEqual(response.status_code, 200)
        sheet = load_workbook(BytesIO(response.content)).active
        header = [c.value for c in next(sheet.iter_rows(max_row=1))]
        self.assertEqual(header[0], str(self.config.model._meta.get_field(self.config.list_fields[0]).verbose_name))
        self.assertGreaterEqual(sheet.max_row, 2)
        self.assertTrue(ChangeLogEntry.objects.filter(action=ChangeAction.EXPORT,
                                                      object_type=self.config.meta.label_lower).exists())

    def test_it_sends_anonymous_users_to_login(self):
        self.client.logout()
        response = self.client.get(self.url("list"))
        self.assertEqual(response.status_code, 302)
        self.assertIn("/accounts/login/", response["Location"])
        self.assertIn(self.client.get(self.api_url).status_code, (401, 403))

    # --- writing -------------------------------------------------------------------------------

    def test_it_creates_and_edits_through_the_pages_with_a_change_log(self):
        if not self.writer:
            self.skipTest("read-only model")
        from zhengshu.core.models import ChangeAction, ChangeLogEntry

        user = self.as_user(self.writer)
        response = self.client.post(self.url("add"), self.form_data())
        self.assertEqual(response.status_code, 302, _form_errors(response))
        created = ChangeLogEntry.objects.filter(action=ChangeAction.CREATE, object_type=self.config.meta.label_lower,
                                                actor_id=user.pk).first()
        self.assertIsNotNone(created)
        response = self.client.post(self.url("edit", self.obj), {**self.form_data(), **self.edit_changes()})
        self.assertEqual(response.status_code, 302)
        self.assertTrue(ChangeLogEntry.objects.filter(action=ChangeAction.UPDATE, object_id=str(self.obj.pk),
                                                      object_type=self.config.meta.label_lower).exists())

    def edit_changes(self) -> dict:
        """Fields that make an edit of ``self.obj`` differ from ``form_data()``'s new object."""
        return {}

    def test_it_creates_through_the_api(self):
        if not self.writer:
            self.skipTest("read-only model")
        self.as_user(self.writer)
        count = self.config.model._default_manager.count()
        response = self.client.post(self.api_url, self.api_data(), content_type="application/json")
        self.assertEqual(response.status_code, 201, response.content)
        self.assertEqual(self.config.model._default_manager.count(), count + 1)

    def test_it_rejects_bad_api_input_in_one_error_shape(self):
        if not self.writer:
            self.skipTest("read-only model")
        self.as_user(self.writer)
        response = self.client.post(self.api_url, {}, content_type="application/json")
        self.assertEqual(response.status_code, 400)
        body = response.json()
        self.assertEqual(set(body), {"detail", "errors"})
        self.assertTrue(body["errors"])

    def test_it_refuses_every_write_to_the_audit_admin(self):
        self.as_user("auditadmin")
        writes = []
        for action in ("add", "edit", "delete"):
            url = self.config.url(action, None if action == "add" else self.obj)
            if url:
                writes.append(("post", url, self.form_data() if self.writer else {}))
        detail = self.api_detail(self.obj)
        writes += [("post", self.api_url, {}), ("put", detail, {}), ("patch", detail, {}), ("delete", detail, None)]
        for method, url, data in writes:
            kwargs = {"content_type": "application/json"} if url.startswith("/api/") and data is not None else {}
            response = getattr(self.client, method)(url, data, **kwargs) if data is not None else \
                getattr(self.client, method)(url)
            self.assertEqual(response.status_code, 403, f"{method.upper()} {url}")


def _form_errors(response) -> str:
    """The form errors of a re-rendered page, for an assertion's message."""
    form = (response.context or {}).get("form") if hasattr(response, "context") else None
    return str(form.errors) if form is not None else ""
