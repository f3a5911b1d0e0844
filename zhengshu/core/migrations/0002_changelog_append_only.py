"""Make the change log append-only in the database itself: UPDATE and DELETE raise.

The application's own code refuses too (``ChangeLogEntry.save``/``delete``); the triggers stop raw
SQL from the application's database role. In production, additionally grant that role only INSERT
and SELECT on these tables (docs/security.md).
"""

from django.db import migrations

TABLES = ("core_changelogentry", "core_changeloganchor")


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for table in TABLES:
        if vendor == "sqlite":
            for op in ("UPDATE", "DELETE"):
                schema_editor.execute(
                    f"CREATE TRIGGER {table}_no_{op.lower()} BEFORE {op} ON {table} "
                    f"BEGIN SELECT RAISE(ABORT, '变更日志只能追加'); END;"
                )
        elif vendor == "postgresql":
            schema_editor.execute(
                "CREATE OR REPLACE FUNCTION zhengshu_append_only() RETURNS trigger AS $$ "
                "BEGIN RAISE EXCEPTION '变更日志只能追加（%% 被拒绝）', TG_OP; END; $$ LANGUAGE plpgsql;"
            )
            schema_editor.execute(
                f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON {table} "
                f"FOR EACH STATEMENT EXECUTE FUNCTION zhengshu_append_only();"
            )
        else:
            raise NotImplementedError(f"数据库 {vendor} 尚未实现变更日志只追加触发器")


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for table in TABLES:
        if vendor == "sqlite":
            for op in ("update", "delete"):
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_no_{op}")
        elif vendor == "postgresql":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
