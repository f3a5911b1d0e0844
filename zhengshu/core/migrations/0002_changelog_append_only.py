"""Make the change log append-only in the database itself: UPDATE and DELETE raise.

The application's own code refuses too (``ChangeLogEntry.save``/``delete``); the triggers stop raw
SQL from the application's database role. In production, additionally grant that role only INSERT
and SELECT on these tables (docs/security.md).
"""

from django.db import migrations

TABLES = ("core_changelogentry", "core_changeloganchor")


def statements(vendor: str, *, create: bool) -> list[str]:
    """The SQL that creates (or drops) the append-only triggers on this database."""
    result = []
    for table in TABLES:
        if vendor == "sqlite":
            for op in ("UPDATE", "DELETE"):
                name = f"{table}_no_{op.lower()}"
                result.append(
                    f"CREATE TRIGGER {name} BEFORE {op} ON {table} BEGIN SELECT RAISE(ABORT, '变更日志只能追加'); END;"
                    if create else f"DROP TRIGGER IF EXISTS {name}"
                )
        elif vendor == "postgresql":
            if create:
                result.append(
                    "CREATE OR REPLACE FUNCTION zhengshu_append_only() RETURNS trigger AS $$ "
                    "BEGIN RAISE EXCEPTION '变更日志只能追加（% 被拒绝）', TG_OP; END; $$ LANGUAGE plpgsql;"
                )
                result.append(
                    f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON {table} "
                    f"FOR EACH STATEMENT EXECUTE FUNCTION zhengshu_append_only();"
                )
            else:
                result.append(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
        else:
            raise NotImplementedError(f"数据库 {vendor} 尚未实现变更日志只追加触发器")
    return result


def forwards(apps, schema_editor):
    for sql in statements(schema_editor.connection.vendor, create=True):
        schema_editor.execute(sql, params=None)


def backwards(apps, schema_editor):
    for sql in statements(schema_editor.connection.vendor, create=False):
        schema_editor.execute(sql, params=None)


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
