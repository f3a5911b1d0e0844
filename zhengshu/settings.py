"""Django settings: one file, every value from the environment through ``zhengshu.conf``.

Each variable is documented in ``docs/settings.md``; problems that parsing cannot see are system
checks (``zhengshu/core/checks.py``, ids ``zs.E…``/``zs.W…``).
"""

from __future__ import annotations

import secrets
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from zhengshu.conf import ConfigError, env_bool, env_int, env_list, env_str, parse_database_url

BASE_DIR = Path(__file__).resolve().parent

try:
    DEBUG = env_bool("ZHENGSHU_DEBUG")
    DATA_DIR = Path(env_str("ZHENGSHU_DATA_DIR") or "./var").resolve()
    DATABASES = {
        "default": parse_database_url(
            env_str("ZHENGSHU_DATABASE_URL") or f"sqlite:///{DATA_DIR / 'zhengshu.sqlite3'}"
        )
    }
    if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    ALLOWED_HOSTS = env_list("ZHENGSHU_ALLOWED_HOSTS")
    CSRF_TRUSTED_ORIGINS = env_list("ZHENGSHU_CSRF_TRUSTED_ORIGINS")
    HTTPS = env_bool("ZHENGSHU_HTTPS")
    BEHIND_PROXY = env_bool("ZHENGSHU_BEHIND_PROXY")
    TIME_ZONE = env_str("ZHENGSHU_TIME_ZONE")
    CITY_DIVISION = env_str("ZHENGSHU_CITY_DIVISION")
    SITE_NAME = env_str("ZHENGSHU_SITE_NAME")
    SESSION_IDLE_MINUTES = env_int("ZHENGSHU_SESSION_IDLE_MINUTES", minimum=1, maximum=24 * 60)
    ADMIN_IDLE_MINUTES = env_int("ZHENGSHU_ADMIN_IDLE_MINUTES", minimum=1, maximum=24 * 60)
    SESSION_ABSOLUTE_HOURS = env_int("ZHENGSHU_SESSION_ABSOLUTE_HOURS", minimum=1, maximum=24 * 7)
    AUDIT_ANCHOR_ROWS = env_int("ZHENGSHU_AUDIT_ANCHOR_ROWS", minimum=1, maximum=1_000_000)
    AUDIT_ANCHOR_SECONDS = env_int("ZHENGSHU_AUDIT_ANCHOR_SECONDS", minimum=1, maximum=86_400)
    WEB_WORKERS = env_int("ZHENGSHU_WEB_WORKERS", minimum=1, maximum=64)
    LOG_LEVEL = env_str("ZHENGSHU_LOG_LEVEL")
    DEMO = env_bool("ZHENGSHU_DEMO")

    def _secret(name: str, filename: str) -> str:
        value = env_str(name)
        if value:
            return value
        if not DEBUG:
            raise ConfigError(f"必须设置环境变量 {name}（或 {name}_FILE）；仅 ZHENGSHU_DEBUG=True 时可省略")
        # Development only: a random key kept in the data directory, so sessions survive restarts.
        path = DATA_DIR / filename
        if not path.exists():
            DATA_DIR.mkdir(parents=True, exist_ok=True)
            path.write_text(secrets.token_urlsafe(48), encoding="utf-8")
            path.chmod(0o600)
        return path.read_text(encoding="utf-8").strip()

    SECRET_KEY = _secret("ZHENGSHU_SECRET_KEY", ".secret_key")
    AUDIT_KEY = _secret("ZHENGSHU_AUDIT_KEY", ".audit_key")
    if LOG_LEVEL not in ("DEBUG", "INFO", "WARNING", "ERROR"):
        raise ConfigError(f"ZHENGSHU_LOG_LEVEL={LOG_LEVEL!r} 只能是 DEBUG/INFO/WARNING/ERROR")
except ConfigError as exc:
    raise ImproperlyConfigured(str(exc)) from None

MEDIA_ROOT = DATA_DIR / "uploads"
LAKE_DIR = DATA_DIR / "lake"
STATIC_ROOT = DATA_DIR / "static"
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "django_filters",
    "zhengshu.core",
    "zhengshu.accounts",
    "zhengshu.orgs",
    "zhengshu.govservices",
    "zhengshu.cases",
    "zhengshu.assistant",
    "zhengshu.dataresources",
    "zhengshu.datagov",
    "zhengshu.trading",
    "zhengshu.archive",
    "zhengshu.cockpit",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "zhengshu.core.middleware.RequestContextMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "zhengshu.accounts.middleware.SessionPolicyMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "zhengshu.urls"
WSGI_APPLICATION = "zhengshu.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["zhengshu.accounts.backends.ObjectPermissionBackend"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "zhengshu.core.navigation.context_processor",
            ],
        },
    }
]

# Passwords: 等保 level 3 (docs/security.md). PBKDF2 stays Django's default hasher.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "zhengshu.accounts.passwords.CharacterClassValidator", "OPTIONS": {"min_classes": 3}},
    {"NAME": "zhengshu.accounts.passwords.HistoryValidator", "OPTIONS": {"last": 5}},
]
PASSWORD_MAX_AGE_DAYS = 90
LOGIN_FAILURE_LIMIT = 5
LOGIN_LOCKOUT_MINUTES = 30

LANGUAGE_CODE = "zh-hans"
USE_I18N = True
USE_TZ = True

SESSION_COOKIE_AGE = SESSION_ABSOLUTE_HOURS * 3600
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
CSRF_COOKIE_HTTPONLY = False
SECURE_SSL_REDIRECT = HTTPS
SECURE_HSTS_SECONDS = 31_536_000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = False
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# HSTS preload is a browser-list registration, not something a city's intranet host can do.
SILENCED_SYSTEM_CHECKS = ["security.W021"]

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

FILTERS_EMPTY_CHOICE_LABEL = "全部"
FILTERS_NULL_CHOICE_LABEL = "（空）"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["zhengshu.core.api.permissions.ObjectActionPermission"],
    "DEFAULT_PAGINATION_CLASS": "zhengshu.core.api.pagination.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "zhengshu.core.api.errors.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "政数平台 API",
    "DESCRIPTION": "zhengshu REST API v1：与页面相同的权限与数据范围，范围外对象一律 404。",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    # Choice sets that several apps name alike ("status", "severity"), each given its own schema name.
    "ENUM_NAME_OVERRIDES": {
        "CaseStatusEnum": "zhengshu.cases.choices.CaseStatus",
        "ToleranceStatusEnum": "zhengshu.cases.choices.ToleranceStatus",
        "RectificationStatusEnum": "zhengshu.cases.choices.RectificationStatus",
        "LimitUnitEnum": "zhengshu.govservices.models.LimitUnit",
        "ItemStatusEnum": "zhengshu.govservices.models.ItemStatus",
        "ItemFindingSeverityEnum": "zhengshu.govservices.models.FindingSeverity",
        "CatalogueStatusEnum": "zhengshu.dataresources.choices.Status",
        "ShareRequestStatusEnum": "zhengshu.dataresources.choices.ShareRequestStatus",
        "OpenApplicationStatusEnum": "zhengshu.dataresources.choices.OpenApplicationStatus",
        "ShutdownStatusEnum": "zhengshu.datagov.choices.ShutdownStatus",
        "TenderSeverityEnum": "zhengshu.trading.choices.Severity",
        "TenderFindingStatusEnum": "zhengshu.trading.choices.FindingStatus",
        "DecryptStatusEnum": "zhengshu.trading.choices.DecryptStatus",
        "CreditStatusEnum": "zhengshu.trading.choices.CreditStatus",
        "AssistStatusEnum": "zhengshu.assistant.models.AssistStatus",
        "QueueStatusEnum": "zhengshu.assistant.models.QueueStatus",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {"django.request": {"level": "ERROR"}},
}
