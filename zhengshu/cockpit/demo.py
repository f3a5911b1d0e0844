"""Demo grants: the data office's staff (data officer, tender supervisor) and the city-wide reader see the
cockpit; the data officer also generates the annual report. Leaders get the same through the group
“驾驶舱（领导）”, which the security administrator fills with real accounts."""

from __future__ import annotations

from zhengshu.core.demo import seeder

LEADER_GROUP = "驾驶舱（领导）"


def ensure_cockpit_permissions(users: dict) -> None:
    from django.contrib.auth.models import Group

    from zhengshu.accounts.demo import ensure_permission

    def pick(*names):
        return [users[n] for n in names if n in users]

    viewers = ensure_permission("驾驶舱：查看全市指标", ["cockpit.annualreport"], ("view",), None,
                                pick("dataofficer", "supervisor", "auditor"))
    reporters = ensure_permission("驾驶舱：生成年度报告", ["cockpit.annualreport"], ("add",), None, pick("dataofficer"))
    leaders, _ = Group.objects.get_or_create(name=LEADER_GROUP)
    viewers.groups.add(leaders)
    reporters.groups.add(leaders)


@seeder(500, "驾驶舱权限")
def seed_cockpit() -> str:
    from zhengshu.accounts.models import User

    ensure_cockpit_permissions({u.username: u for u in User.objects.all()})
    return f"已授予；领导账号加入用户组“{LEADER_GROUP}”即可查看驾驶舱"
