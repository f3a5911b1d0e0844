"""Settings parsing, the CLI contracts (check-id, check --deploy) run as real processes."""

import json
import os
import subprocess
import sys
import tempfile

from django.test import SimpleTestCase

from zhengshu.conf import ConfigError, env_bool, parse_database_url

PRODUCTION_ENV = {
    "ZHENGSHU_SECRET_KEY": "prod-secret-0123456789abcdefghijklmnopqrstuvwxyz-0123456789",
    "ZHENGSHU_AUDIT_KEY": "prod-audit-0123456789abcdefghijklmnopqrstuvwxyz-9876543210",
    "ZHENGSHU_DATABASE_URL": "postgres://zhengshu:pw@db.internal:5432/zhengshu",
    "ZHENGSHU_ALLOWED_HOSTS": "zw.example.gov.cn",
    "ZHENGSHU_CSRF_TRUSTED_ORIGINS": "https://zw.example.gov.cn",
    "ZHENGSHU_HTTPS": "True",
    "ZHENGSHU_BEHIND_PROXY": "True",
    "ZHENGSHU_DEBUG": "False",
    "ZHENGSHU_DEMO": "False",
}


def zhengshu(*args, env=None):
    base = {k: v for k, v in os.environ.items() if not k.startswith(("ZHENGSHU_", "DJANGO_"))}
    base["ZHENGSHU_DATA_DIR"] = tempfile.mkdtemp(prefix="zhengshu-cli-")
    return subprocess.run([sys.executable, "-m", "zhengshu.cli", *args], env={**base, **(env or {})},
                          capture_output=True, text=True, timeout=120)


class SettingsTests(SimpleTestCase):
    def test_it_parses_database_urls(self):
        pg = parse_database_url("postgres://u:p%40ss@127.0.0.1:5432/test?sslmode=disable")
        self.assertEqual((pg["USER"], pg["PASSWORD"], pg["NAME"], pg["PORT"]), ("u", "p@ss", "test", "5432"))
        self.assertEqual(pg["OPTIONS"]["sslmode"], "disable")
        self.assertEqual(parse_database_url("sqlite:////srv/zs/db.sqlite3")["NAME"], "/srv/zs/db.sqlite3")
        with self.assertRaises(ConfigError):
            parse_database_url("mysql://x/y")

    def test_it_parses_booleans_strictly(self):
        os.environ["ZHENGSHU_DEMO"] = "yes"
        try:
            with self.assertRaises(ConfigError):
                env_bool("ZHENGSHU_DEMO")
        finally:
            del os.environ["ZHENGSHU_DEMO"]

    def test_it_refuses_to_start_without_a_secret_key_in_production(self):
        result = zhengshu("check", env={"ZHENGSHU_DEBUG": "False"})
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("ZHENGSHU_SECRET_KEY", result.stderr)
        self.assertIn("配置错误", result.stderr)

    def test_the_documented_production_environment_passes_the_deploy_check(self):
        result = zhengshu("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)

    def test_the_deploy_check_fails_when_keys_are_shared(self):
        env = {**PRODUCTION_ENV, "ZHENGSHU_AUDIT_KEY": PRODUCTION_ENV["ZHENGSHU_SECRET_KEY"]}
        result = zhengshu("check", "--deploy", "--fail-level", "WARNING", env=env)
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("zs.E002", result.stderr + result.stdout)


class CheckIdCommandTests(SimpleTestCase):
    def test_it_prints_the_json_contract(self):
        result = zhengshu("check-id", "11010519491231002X", env={"ZHENGSHU_DEBUG": "True"})
        body = json.loads(result.stdout)
        self.assertEqual(set(body), {"kind", "valid", "reason", "parts"})
        self.assertEqual((body["kind"], body["valid"]), ("resident_id", True))
        self.assertEqual(result.returncode, 0)

    def test_it_exits_nonzero_on_an_invalid_code(self):
        result = zhengshu("check-id", "110105194912310021", env={"ZHENGSHU_DEBUG": "True"})
        body = json.loads(result.stdout)
        self.assertFalse(body["valid"])
        self.assertIn("校验码", body["reason"])
        self.assertEqual(result.returncode, 1)
