"""Strict parsing of settings from environment variables.

Every setting zhengshu reads is declared here in ``SETTINGS`` (name, default, meaning), so that
``docs/settings.md`` and the code cannot drift apart: a test compares the two.

A value that does not parse raises ``ImproperlyConfigured`` at start with the variable's name; a
secret may also be given as ``NAME_FILE`` (a path whose content is the value), which is how
container and systemd secrets are usually handed over.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlsplit


class ConfigError(Exception):
    """A setting's value is missing or malformed; the message names the variable."""


@dataclass(frozen=True)
class Setting:
    name: str
    default: str | None
    meaning: str


SETTINGS: tuple[Setting, ...] = (
    Setting("ZHENGSHU_DATA_DIR", "./var", "数据目录：SQLite 文件、上传文件、数据湖（lake/）。相对路径相对于启动时的工作目录。"),
    Setting(
        "ZHENGSHU_DATABASE_URL",
        None,
        "数据库地址；不设置时为数据目录下的 SQLite 文件 zhengshu.sqlite3。格式：sqlite:////绝对路径（四个斜杠）、sqlite:///相对路径，或 postgres://用户:密码@主机:端口/库名?sslmode=…",
    ),
    Setting("ZHENGSHU_SECRET_KEY", None, "Django 密钥（会话、CSRF 签名）。生产必填；也可用 ZHENGSHU_SECRET_KEY_FILE。"),
    Setting(
        "ZHENGSHU_AUDIT_KEY",
        None,
        "变更日志 HMAC-SM3 链的密钥（至少 32 字符）。生产必填且不同于 SECRET_KEY；也可用 ZHENGSHU_AUDIT_KEY_FILE。",
    ),
    Setting("ZHENGSHU_DEBUG", "False", "调试模式（True/False）。仅限开发机；开启时缺省密钥由数据目录生成。"),
    Setting("ZHENGSHU_ALLOWED_HOSTS", "127.0.0.1,localhost", "允许的主机名，逗号分隔。"),
    Setting("ZHENGSHU_CSRF_TRUSTED_ORIGINS", "", "反向代理对外地址，逗号分隔，如 https://zw.haining.gov.cn。"),
    Setting("ZHENGSHU_HTTPS", "True", "站点经 HTTPS 提供（True/False）：安全 Cookie、HSTS、HTTP 跳转 HTTPS。"),
    Setting("ZHENGSHU_BEHIND_PROXY", "False", "位于反向代理之后，信任 X-Forwarded-Proto（True/False）。"),
    Setting("ZHENGSHU_TIME_ZONE", "Asia/Shanghai", "界面显示时区；数据库内一律存 UTC。"),
    Setting("ZHENGSHU_CITY_DIVISION", "330481", "本平台所属城市的行政区划代码（海宁市 330481）。"),
    Setting("ZHENGSHU_SITE_NAME", "海宁市政务服务和数据资源管理办公室", "页面与报表上显示的单位名称。"),
    Setting("ZHENGSHU_SESSION_IDLE_MINUTES", "30", "普通用户空闲超时（分钟）。"),
    Setting("ZHENGSHU_ADMIN_IDLE_MINUTES", "15", "三员（系统/安全/审计管理员）空闲超时（分钟）。"),
    Setting("ZHENGSHU_SESSION_ABSOLUTE_HOURS", "12", "会话绝对有效期（小时）。"),
    Setting("ZHENGSHU_AUDIT_ANCHOR_ROWS", "1000", "变更日志每隔多少行写一个锚点。"),
    Setting("ZHENGSHU_AUDIT_ANCHOR_SECONDS", "300", "距上一个锚点超过多少秒后的下一行写锚点。"),
    Setting("ZHENGSHU_WEB_WORKERS", "3", "`zhengshu serve` 启动的 gunicorn 工作进程数。"),
    Setting("ZHENGSHU_LOG_LEVEL", "INFO", "日志级别：DEBUG/INFO/WARNING/ERROR。"),
    Setting("ZHENGSHU_DEMO", "False", "演示模式（True/False）：登录页显示演示账号。生产必须为 False。"),
    Setting("ZHENGSHU_ASSISTANT_LLM_URL", "", "智能问答可选的语言模型组织答复：政务内网 OpenAI 兼容接口地址（…/v1 或 …/chat/completions）；空 = 关闭。"),
    Setting("ZHENGSHU_ASSISTANT_LLM_MODEL", "", "上述接口的模型名。"),
    Setting("ZHENGSHU_ASSISTANT_LLM_KEY", "", "上述接口的密钥（Bearer）；也可用 ZHENGSHU_ASSISTANT_LLM_KEY_FILE。"),
    Setting("ZHENGSHU_ASSISTANT_LLM_TIMEOUT", "8", "调用语言模型的超时（秒）；超时或出错时只显示事项卡片。"),
)


def _raw(name: str) -> str | None:
    file_var = os.environ.get(f"{name}_FILE")
    if file_var:
        try:
            return Path(file_var).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ConfigError(f"{name}_FILE={file_var} 无法读取：{exc}") from exc
    return os.environ.get(name)


def _default(name: str) -> str | None:
    for s in SETTINGS:
        if s.name == name:
            return s.default
    raise ConfigError(f"{name} 不是已声明的设置项（见 zhengshu/conf.py SETTINGS）")


def env_str(name: str, *, required: bool = False) -> str | None:
    value = _raw(name)
    if value is None or value == "":
        if required:
            raise ConfigError(f"必须设置环境变量 {name}（或 {name}_FILE）")
        return _default(name)
    return value


def env_bool(name: str) -> bool:
    value = env_str(name)
    if value in ("True", "true", "1"):
        return True
    if value in ("False", "false", "0"):
        return False
    raise ConfigError(f"{name}={value!r} 不是布尔值：只接受 True/False（或 true/false、1/0）")


def env_int(name: str, *, minimum: int = 0, maximum: int = 10**9) -> int:
    value = env_str(name)
    try:
        number = int(value or "")
    except ValueError:
        raise ConfigError(f"{name}={value!r} 不是整数") from None
    if not minimum <= number <= maximum:
        raise ConfigError(f"{name}={number} 超出范围 {minimum}…{maximum}")
    return number


def env_list(name: str) -> list[str]:
    value = env_str(name) or ""
    return [item.strip() for item in value.split(",") if item.strip()]


def parse_database_url(url: str) -> dict:
    """Turn ``sqlite:///path`` or ``postgres://user:pw@host:port/db?opt=v`` into a DATABASES entry."""
    parts = urlsplit(url)
    if parts.scheme == "sqlite":
        # sqlite:///relative/path and sqlite:////absolute/path, as everywhere else.
        path = unquote(parts.path)[1:]
        if not path:
            raise ConfigError(f"ZHENGSHU_DATABASE_URL={url!r} 缺少 SQLite 文件路径（sqlite:////绝对路径）")
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": path,
            "OPTIONS": {
                # One writer at a time, taken when the transaction starts: the change-log chain reads
                # its last row and appends in the same transaction, so it must not be upgraded later.
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
            },
        }
    if parts.scheme in ("postgres", "postgresql"):
        name = unquote(parts.path.lstrip("/"))
        if not name:
            raise ConfigError(f"ZHENGSHU_DATABASE_URL={url!r} 缺少数据库名")
        options = dict(parse_qsl(parts.query))
        options.setdefault("application_name", "zhengshu")
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": name,
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": parts.hostname or "",
            "PORT": str(parts.port or ""),
            "OPTIONS": options,
            "CONN_MAX_AGE": 60,
            "CONN_HEALTH_CHECKS": True,
        }
    raise ConfigError(f"ZHENGSHU_DATABASE_URL={url!r} 的协议 {parts.scheme!r} 不受支持（sqlite 或 postgres）")
