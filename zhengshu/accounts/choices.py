from django.db import models


class UserKind(models.TextChoices):
    STAFF = "staff", "工作人员"
    ENTERPRISE = "enterprise", "企业用户"
    CITIZEN = "citizen", "个人用户"


class AdminRole(models.TextChoices):
    """The three separated administrator roles of 等保 level 3 (三权分立); one user holds at most one."""

    NONE = "", "无"
    SYSTEM = "system", "系统管理员"
    SECURITY = "security", "安全管理员"
    AUDIT = "audit", "审计管理员"
