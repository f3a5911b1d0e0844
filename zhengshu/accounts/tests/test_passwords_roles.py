"""Password rules, the three separated admin roles, and scope tokens."""

from django.core.exceptions import ValidationError
from django.contrib.auth import password_validation

from zhengshu.accounts.models import ObjectPermission, User
from zhengshu.core.models import CalendarOverride, ChangeAction, ChangeLogEntry
from zhengshu.core.testing import PersonaTestCase


class PasswordTests(PersonaTestCase):
    def test_it_rejects_short_and_single_class_passwords(self):
        for bad in ("Ab1!", "abcdefghij", "abcdefgh12", "ABCDEFGH12"):
            with self.assertRaises(ValidationError, msg=bad):
                password_validation.validate_password(bad, self.p.clerk_a)
        password_validation.validate_password("Haining#2027x", self.p.clerk_a)

    def test_it_refuses_the_last_five_passwords(self):
        user = self.p.colleague_a
        passwords = [f"Haining#{year}x" for year in range(2020, 2026)]
        for password in passwords:
            password_validation.validate_password(password, user)
            user.set_password(password)
            user.save()
        for recent in passwords[-5:]:
            with self.assertRaises(ValidationError, msg=recent):
                password_validation.validate_password(recent, user)
        password_validation.validate_password(passwords[0], user)  # the sixth-last is allowed again

    def test_it_changes_a_password_through_the_page(self):
        self.as_user("clerk_a")
        response = self.client.post("/accounts/me/password/", {
            "old_password": "Haining#2026", "new_password1": "Jiaxing@2027", "new_password2": "Jiaxing@2027"})
        self.assertEqual(response.status_code, 302)
        self.p.clerk_a.refresh_from_db()
        self.assertTrue(self.p.clerk_a.check_password("Jiaxing@2027"))
        self.assertIsNotNone(self.p.clerk_a.password_changed_at)


class RoleTests(PersonaTestCase):
    def test_it_keeps_admin_roles_exclusive_and_off_superusers(self):
        user = self.p.sysadmin
        user.is_superuser = True
        with self.assertRaises(ValidationError):
            user.full_clean()
        # One choice field, not a set of groups: holding two of the three roles cannot even be expressed.
        field = User._meta.get_field("admin_role")
        self.assertFalse(field.many_to_many)
        self.assertEqual({v for v, _ in field.choices if v}, {"system", "security", "audit"})

    def test_it_lets_the_audit_admin_read_but_not_write_even_with_a_grant(self):
        perm = ObjectPermission.objects.create(name="误授权", actions=["view", "add", "change", "delete"])
        perm.object_types.set([self._ct(CalendarOverride)])
        perm.users.add(self.p.auditadmin)
        user = User.objects.get(pk=self.p.auditadmin.pk)
        self.assertFalse(user.has_perm("core.add_calendaroverride"))
        self.assertTrue(user.has_perm("core.view_changelogentry"))

    def test_it_keeps_the_system_admin_out_of_the_log_even_with_a_grant(self):
        perm = ObjectPermission.objects.create(name="误授权日志", actions=["view"])
        perm.object_types.set([self._ct(ChangeLogEntry)])
        perm.users.add(self.p.sysadmin)
        user = User.objects.get(pk=self.p.sysadmin.pk)
        self.assertFalse(user.has_perm("core.view_changelogentry"))

    def test_it_logs_permission_changes(self):
        before = ChangeLogEntry.objects.filter(action=ChangeAction.PERMISSION).count()
        perm = ObjectPermission.objects.create(name="新授权", actions=["view"])
        perm.users.add(self.p.outsider_b)
        self.assertEqual(ChangeLogEntry.objects.filter(action=ChangeAction.PERMISSION).count(), before + 1)

    def test_it_resolves_department_tree_tokens(self):
        perm = ObjectPermission.objects.create(name="本部门及下级", actions=["view"],
                                               constraints={"department__in": "$department_tree"})
        perm.object_types.set([self._ct(CalendarOverride)])
        from datetime import date

        sub = self.p.office.__class__.objects.create(code="HN-ZSB-1", name="数据科", division=self.p.divisions.haining,
                                                     parent=self.p.office)
        inside = CalendarOverride.objects.create(date=date(2027, 5, 6), kind="holiday", department=sub, reason="内")
        outside = CalendarOverride.objects.create(date=date(2027, 5, 7), kind="holiday", department=self.p.dept_b,
                                                  reason="外")
        # a user of the office holding only this grant sees its sub-department's days, not department B's
        user = User.objects.create(username="tree_user", department=self.p.office)
        perm.users.add(user)
        visible = set(CalendarOverride.objects.restrict(user, "view").values_list("pk", flat=True))
        self.assertIn(inside.pk, visible)
        self.assertNotIn(outside.pk, visible)

    def test_it_refuses_unknown_tokens(self):
        perm = ObjectPermission(name="坏约束", actions=["view"], constraints={"department": "$dept"})
        with self.assertRaises(ValidationError):
            perm.full_clean()

    @staticmethod
    def _ct(model):
        from django.contrib.contenttypes.models import ContentType

        return ContentType.objects.get_for_model(model)


class RevealTests(PersonaTestCase):
    def setUp(self):
        self.target = User.objects.create(username="citizen_1", full_name="钱多多", department=self.p.dept_a,
                                          phone="13812345678", id_number="330481199001011234")
        self.url = f"/reveal/accounts.user/{self.target.pk}/phone/"

    def test_it_refuses_a_reveal_without_the_right(self):
        self.as_user("clerk_a")
        self.assertEqual(self.client.post(self.url, {"purpose": "核对"}).status_code, 403)

    def test_it_needs_a_purpose_and_logs_each_reveal(self):
        self.as_user("secadmin")
        self.assertEqual(self.client.post(self.url, {"purpose": ""}).status_code, 400)
        before = ChangeLogEntry.objects.filter(action=ChangeAction.REVEAL).count()
        response = self.client.post(self.url, {"purpose": "核实办件申请人身份"})
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json()["value"], "13812345678")
        rows = ChangeLogEntry.objects.filter(action=ChangeAction.REVEAL)
        self.assertEqual(rows.count(), before + 1)
        self.assertIn("核实办件申请人身份", rows.first().message)


class AdminRoleAssignmentTests(PersonaTestCase):
    def test_the_system_admin_cannot_assign_an_admin_role(self):
        self.as_user("sysadmin")
        response = self.client.patch(f"/api/v1/accounts/users/{self.p.clerk_a.pk}/", {"admin_role": "security"},
                                     content_type="application/json")
        self.assertIn(response.status_code, (200, 400))
        self.p.clerk_a.refresh_from_db()
        self.assertEqual(self.p.clerk_a.admin_role, "")

    def test_a_password_change_writes_a_log_row(self):
        user = self.p.colleague_a
        user.set_password("Jiaxing@2027")
        user.save()
        self.assertTrue(ChangeLogEntry.objects.filter(object_id=str(user.pk), message="修改密码").exists())
