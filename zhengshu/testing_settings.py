"""Settings for the test suite: the real settings, with test keys and plain HTTP.

Only environment defaults are set here (an explicit environment wins), plus a fast password
hasher: hashing strength is Django's and not what these tests measure.
"""

import os
import tempfile

os.environ.setdefault("ZHENGSHU_SECRET_KEY", "test-secret-key-not-for-production-0123456789abcdef")
os.environ.setdefault("ZHENGSHU_AUDIT_KEY", "test-audit-key-not-for-production-0123456789abcdef")
os.environ.setdefault("ZHENGSHU_HTTPS", "False")
os.environ.setdefault("ZHENGSHU_DATA_DIR", tempfile.mkdtemp(prefix="zhengshu-test-"))
os.environ.setdefault("ZHENGSHU_ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")

from zhengshu.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}  # noqa: F405
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405  (whitenoise looks for it)
