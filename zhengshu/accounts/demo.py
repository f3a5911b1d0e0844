"""Demo and test personas: the same people log in to the demo and act in the tests.

A clerk and a colleague in department A (市场监管局), an outsider in department B (住建局), a city
auditor who reads everything, the three separated administrators (who need TOTP), and the people the
domain apps serve: a town service-hall clerk, the data office's data officer, a tender supervisor, a
citizen and an enterprise owner. Domain apps give them their permissions in their own seeders
(``ensure_permission``), so this file stays the one list of who exists.
"""

from __future__ import annotations

import pyotp
from django.contrib.contenttypes.models import ContentType

from zhengshu.accounts.choices import AdminRole, UserKind
from zhengshu.accounts.models import ObjectPermission, User
from zhengshu.core.demo import seeder

DEMO_PASSWORD = "Haining#2026"

# username, full name, department code, admin role, label; TOTP secrets are fixed for the demo only.
PERSONAS = (
    ("clerk_a", "王丽", "HN-SJJ", "", "窗口工作人员（市场监管局）"),
    ("colleague_a", "李强", "HN-SJJ", "", "同部门同事（市场监管局）"),
    ("outsider_b", "陈静", "HN-ZJJ", "", "其他部门人员（住建局）"),
    ("auditor", "赵敏", "HN-ZSB", "", "全市只读（市政务数据办）"),
    ("sysadmin", "系统管理员", "HN-ZSB", AdminRole.SYSTEM, "系统管理员"),
    ("secadmin", "安全管理员", "HN-ZSB", AdminRole.SECURITY, "安全管理员"),
    ("auditadmin", "审计管理员", "HN-ZSB", AdminRole.AUDIT, "审计管理员"),
    ("town_clerk", "周敏", "HN-330481001", "", "镇街便民服务中心窗口（硖石街道）"),
    ("dataofficer", "孙涛", "HN-ZSB", "", "数据资源处（市政务数据办）"),
    ("supervisor", "刘军", "HN-ZSB", "", "招投标监管（市政务数据办）"),
    ("citizen", "张伟", "", "", "办事群众"),
    ("enterprise", "钱芳", "", "", "企业办事人（海宁市示范皮革有限公司）"),
)
# Citizens and enterprise users belong to no department; their kind and identity come from here.
PUBLIC_USERS = {
    "citizen": {"kind": UserKind.CITIZEN, "id_number": "330481199003150037", "phone": "13905730001"},
    "enterprise": {"kind": UserKind.ENTERPRISE, "id_number": "33048119850620002X", "phone": "13905730002",
                   "enterprise_uscc": "91330481MA2B00000Y"},
}
DEMO_TOTP = {
    "sysadmin": "HNZSSYSADMINTOTPDEMOKEY234567ABC",
    "secadmin": "HNZSSECADMINTOTPDEMOKEY234567ABC",
    "auditadmin": "HNZSAUDADMINTOTPDEMOKEY234567ABC",
}

# Model labels whose objects belong to a department (PrimaryModel and the like); domain apps add theirs.
DEPARTMENT_SCOPED = ["core.calendaroverride", "core.job"]


def department_scoped(*labels: str) -> None:
    """Add model labels to ``DEPARTMENT_SCOPED`` (once each), from a domain app's ``ready()``."""
    DEPARTMENT_SCOPED.extend(label for label in labels if label not in DEPARTMENT_SCOPED)


def _types(labels):
    result = []
    for label in labels:
        app_label, model = label.split(".")
        result.append(ContentType.objects.get(app_label=app_label, model=model))
    return result


def ensure_permission(name: str, labels, actions, constraints, users) -> ObjectPermission:
    perm = ObjectPermission.objects.filter(name=name).first() or ObjectPermission(name=name)
    perm.actions, perm.constraints, perm.enabled = list(actions), constraints, True
    perm.save()
    perm.object_types.set(_types(labels))
    perm.users.add(*users)
    return perm


def ensure_personas(departments: dict) -> dict[str, User]:
    """Create (or refresh) the persona accounts and their permissions; ``departments`` maps code → Department."""
    users = {}
    for username, full_name, dept_code, role, _label in PERSONAS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(username=username)
            user.set_password(DEMO_PASSWORD)
        user.full_name, user.kind = full_name, UserKind.STAFF
        user.department = departments[dept_code] if dept_code else None
        for attr, value in PUBLIC_USERS.get(username, {}).items():
            setattr(user, attr, value)
        user.admin_role = role
        if role:
            user.totp_secret, user.totp_confirmed = DEMO_TOTP[username], True
        user.save()
        users[username] = user
    clerks = [users["clerk_a"], users["colleague_a"], users["outsider_b"]]
    ensure_permission("本部门业务数据", DEPARTMENT_SCOPED, ("view", "add", "change", "delete"),
                      {"department": "$department"}, clerks)
    ensure_permission("本部门用户（只读）", ["accounts.user"], ("view",), {"department": "$department"}, clerks)
    ensure_permission("全市业务数据（只读）", [*DEPARTMENT_SCOPED, "accounts.user"], ("view",), None, [users["auditor"]])
    return users


DEMO_LOGINS = [
    {"username": u, "password": DEMO_PASSWORD, "label": label, "role": str(AdminRole(role).label) if role else "",
     "totp_secret": DEMO_TOTP.get(u, "")}
    for u, _n, _d, role, label in PERSONAS
]


def demo_logins_with_codes() -> list[dict]:
    """For the demo login page only: the admins' current TOTP codes, so each demo login can be tried."""
    return [{**login, "otp": pyotp.TOTP(login["totp_secret"]).now() if login["totp_secret"] else ""}
            for login in DEMO_LOGINS]


@seeder(20, "演示账号")
def seed_personas() -> str:
    from zhengshu.orgs.models import Department

    users = ensure_personas({d.code: d for d in Department.objects.all()})
    return f"{len(users)} 个账号"
