"""The change log: who reads it, and that `audit verify` finds every kind of tampering.

Tampering is done the way a database administrator would: the append-only triggers are dropped
first (the application itself cannot change a row, which the first tests show).
"""

import json
from io import StringIO

from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from zhengshu.core.crypto import hmac_sm3_hex, sm3_hex
from zhengshu.core.models import AppendOnlyError, ChangeAction, ChangeLogAnchor, ChangeLogEntry, record_change
from zhengshu.core.testing import PersonaTestCase

TABLE = ChangeLogEntry._meta.db_table


def drop_triggers():
    from importlib import import_module

    migration = import_module("zhengshu.core.migrations.0002_changelog_append_only")
    with connection.cursor() as cursor:
        for sql in migration.statements(connection.vendor, create=False):
            cursor.execute(sql)


class ChangeLogAccessTests(PersonaTestCase):
    def test_it_shows_the_log_to_the_audit_admin(self):
        entry = record_change(action=ChangeAction.SYSTEM, object_repr="测试")
        self.as_user("auditadmin")
        self.assertEqual(self.client.get("/changelog/").status_code, 200)
        self.assertEqual(self.client.get(f"/changelog/{entry.pk}/").status_code, 200)
        self.assertEqual(self.client.get(f"/api/v1/core/changelog/{entry.pk}/").status_code, 200)

    def test_it_answers_403_to_the_system_admin_and_clerks(self):
        entry = record_change(action=ChangeAction.SYSTEM, object_repr="测试")
        for name in ("sysadmin", "clerk_a", "outsider_b"):
            self.as_user(name)
            for url in ("/changelog/", f"/changelog/{entry.pk}/", "/api/v1/core/changelog/",
                        f"/api/v1/core/changelog/{entry.pk}/"):
                self.assertEqual(self.client.get(url).status_code, 403, f"{name} {url}")

    def test_it_refuses_changes_in_code_and_in_sql(self):
        entry = record_change(action=ChangeAction.SYSTEM, object_repr="测试")
        with self.assertRaises(AppendOnlyError):
            entry.save()
        with self.assertRaises(AppendOnlyError):
            entry.delete()
        for sql in (f"UPDATE {TABLE} SET message = 'x'", f"DELETE FROM {TABLE}"):
            with self.assertRaises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(sql)
        self.assertEqual(ChangeLogEntry.objects.get(pk=entry.pk).message, entry.message)


class AuditVerifyTests(PersonaTestCase):
    def setUp(self):
        for i in range(6):
            record_change(action=ChangeAction.SYSTEM, object_repr=f"第{i}件", message=f"操作{i}")
        self.last = ChangeLogEntry.objects.order_by("-seq").first().seq

    def verify(self) -> dict:
        out = StringIO()
        try:
            call_command("audit", "verify", stdout=out)
        except CommandError:
            pass
        return json.loads(out.getvalue())

    def sql(self, statement, params=()):
        with connection.cursor() as cursor:
            cursor.execute(statement, params)

    def test_it_passes_on_an_untouched_log(self):
        result = self.verify()
        self.assertTrue(result["ok"], result)
        self.assertEqual(result["rows"], self.last)

    def test_it_exits_nonzero_when_broken(self):
        drop_triggers()
        self.sql(f"UPDATE {TABLE} SET message = %s WHERE seq = %s", ["改过", self.last - 2])
        with self.assertRaises(CommandError):
            call_command("audit", "verify", stdout=StringIO())

    def test_it_names_an_edited_row(self):
        drop_triggers()
        self.sql(f"UPDATE {TABLE} SET message = %s WHERE seq = %s", ["改过", self.last - 2])
        result = self.verify()
        self.assertFalse(result["ok"])
        self.assertEqual(result["broken_seq"], self.last - 2)

    def test_it_names_a_deleted_row(self):
        drop_triggers()
        self.sql(f"DELETE FROM {TABLE} WHERE seq = %s", [self.last - 3])
        result = self.verify()
        self.assertEqual(result["broken_seq"], self.last - 3)
        self.assertIn("缺失", result["reason"])

    def test_it_names_two_swapped_rows(self):
        drop_triggers()
        a, b = self.last - 4, self.last - 1
        rows = {r.seq: r for r in ChangeLogEntry.objects.filter(seq__in=(a, b))}
        for seq, other in ((a, rows[b]), (b, rows[a])):
            self.sql(f"UPDATE {TABLE} SET object_repr = %s, message = %s, digest = %s WHERE seq = %s",
                     [other.object_repr, other.message, other.digest, seq])
        result = self.verify()
        self.assertEqual(result["broken_seq"], a)

    def test_it_names_a_forged_appended_row(self):
        last = ChangeLogEntry.objects.order_by("-seq").first()
        forged = ChangeLogEntry(**{f: getattr(last, f) for f in ChangeLogEntry.CHAINED_FIELDS})
        forged.seq, forged.message = last.seq + 1, "伪造的一行"
        # The forger knows the algorithm but not the key: a plain SM3 chain, or HMAC under a guess.
        for digest in (sm3_hex(last.digest.encode() + forged.canonical()),
                       hmac_sm3_hex(b"guessed-key", last.digest.encode() + forged.canonical())):
            with transaction.atomic():
                sid = transaction.savepoint()
                forged.digest = digest
                forged.pk = None
                forged.save(_append=True)
                result = self.verify()
                self.assertFalse(result["ok"])
                self.assertEqual(result["broken_seq"], last.seq + 1)
                transaction.savepoint_rollback(sid)

    def test_it_detects_a_tail_truncated_past_an_anchor(self):
        anchored = ChangeLogAnchor.objects.order_by("-seq").first().seq
        drop_triggers()
        self.sql(f"DELETE FROM {TABLE} WHERE seq >= %s", [anchored])
        result = self.verify()
        self.assertFalse(result["ok"])
        self.assertIn("截断", result["reason"])


class PersonalDataInLogTests(PersonaTestCase):
    def test_it_logs_personal_fields_as_keyed_digests_only(self):
        from zhengshu.accounts.models import User
        from zhengshu.core.services import create_object

        user = create_object(actor=self.p.sysadmin, model=User, data={
            "username": "applicant", "department": self.p.dept_a, "phone": "13812345678",
            "id_number": "330481199001011234"})
        row = ChangeLogEntry.objects.get(action=ChangeAction.CREATE, object_type="accounts.user", object_id=str(user.pk))
        text = json.dumps(row.after, ensure_ascii=False)
        self.assertNotIn("13812345678", text)
        self.assertNotIn("330481199001011234", text)
        # Not the plain SM3 either, which anyone could recompute by trying every phone number.
        self.assertTrue(row.after["phone"].startswith("hmac-sm3:"))
        self.assertNotIn(sm3_hex(b"13812345678"), text)


class FieldChangeLoggingTests(PersonaTestCase):
    def test_it_logs_only_real_changes_with_before_and_after(self):
        from zhengshu.accounts.models import ObjectPermission
        from zhengshu.orgs.models import Department

        dept = Department.objects.get(pk=self.p.dept_a.pk)
        count = ChangeLogEntry.objects.count()
        dept.save()  # nothing changed: nothing logged
        self.assertEqual(ChangeLogEntry.objects.count(), count)
        dept.short_name = "市场监管局"
        dept.save()
        row = ChangeLogEntry.objects.order_by("-seq").first()
        self.assertEqual((row.action, row.before, row.after),
                         (ChangeAction.UPDATE, {"short_name": ""}, {"short_name": "市场监管局"}))
        perm = ObjectPermission.objects.create(name="JSON", actions=["view"])
        perm = ObjectPermission.objects.get(pk=perm.pk)
        perm.actions.append("add")  # changed in place: still seen as a change
        perm.save()
        row = ChangeLogEntry.objects.order_by("-seq").first()
        self.assertEqual((row.before, row.after), ({"actions": ["view"]}, {"actions": ["view", "add"]}))


class AnchorTests(PersonaTestCase):
    def test_it_anchors_after_the_row_interval_or_the_time_interval(self):
        from datetime import timedelta
        from unittest import mock

        from django.test import override_settings
        from django.utils import timezone

        with override_settings(AUDIT_ANCHOR_ROWS=3, AUDIT_ANCHOR_SECONDS=300):
            first = record_change(action=ChangeAction.SYSTEM, object_repr="起点")
            anchors = ChangeLogAnchor.objects.count()
            self.assertTrue(ChangeLogAnchor.objects.filter(seq__lte=first.seq).exists())
            base = ChangeLogAnchor.objects.order_by("-seq").first().seq
            for _ in range(first.seq - base + 1, 3):  # up to, not including, the third row after the anchor
                record_change(action=ChangeAction.SYSTEM, object_repr="未到间隔")
            self.assertEqual(ChangeLogAnchor.objects.count(), anchors)
            record_change(action=ChangeAction.SYSTEM, object_repr="第三行")
            self.assertEqual(ChangeLogAnchor.objects.count(), anchors + 1)
            later = timezone.now() + timedelta(seconds=301)
            with mock.patch("django.utils.timezone.now", return_value=later):
                record_change(action=ChangeAction.SYSTEM, object_repr="五分钟后")
            self.assertEqual(ChangeLogAnchor.objects.count(), anchors + 2)
