"""Demo data and the permissions of the catalogue (seeder orders 200–249)."""

from __future__ import annotations

from zhengshu.core.demo import seeder

CATALOGUE = ["dataresources.dataresource", "dataresources.dataitem", "dataresources.resourceversion"]


def ensure_catalogue_permissions(users: dict) -> None:
    """Grant the personas their catalogue roles; ``users`` maps persona name → User (missing names skipped)."""
    from zhengshu.accounts.demo import ensure_permission

    def some(*names):
        return [users[n] for n in names if n in users]

    clerks = some("clerk_a", "colleague_a", "outsider_b", "town_clerk")
    office = some("dataofficer")
    ensure_permission("数据目录：本部门编目与已发布目录", ["dataresources.dataresource"], ("view",),
                      [{"department": "$department"}, {"status": "published"}], clerks)
    ensure_permission("数据目录：本部门与已发布目录的信息项和版本", CATALOGUE[1:], ("view",),
                      [{"resource__department": "$department"}, {"resource__status": "published"}], clerks)
    ensure_permission("数据目录：本部门编目", ["dataresources.dataresource"], ("add", "change", "delete", "submit"),
                      {"department": "$department"}, clerks)
    ensure_permission("数据目录：本部门信息项", ["dataresources.dataitem"], ("add", "change", "delete"),
                      {"resource__department": "$department"}, clerks)
    ensure_permission("共享申请：本部门申请", ["dataresources.sharerequest"], ("view", "add"),
                      {"department": "$department"}, clerks)
    ensure_permission("共享申请：提供方审核", ["dataresources.sharerequest"], ("view", "provide"),
                      {"resource__department": "$department"}, clerks)
    ensure_permission("共享授权：本部门获得的与本部门提供的", ["dataresources.sharegrant"], ("view",),
                      [{"department": "$department"}, {"resource__department": "$department"}], clerks)
    ensure_permission("共享访问记录：本部门访问的与访问本部门的", ["dataresources.accesslog"], ("view",),
                      [{"department": "$department"}, {"provider": "$department"}], clerks)
    ensure_permission("数据办：目录审核与共享审批",
                      [*CATALOGUE, "dataresources.sharerequest", "dataresources.sharegrant",
                       "dataresources.accesslog", "dataresources.openapplication", "dataresources.showcase"],
                      ("view", "review", "withdraw", "approve", "revoke"), None, office)
    ensure_permission("数据办：应用成果维护", ["dataresources.showcase"], ("add", "change", "delete"), None, office)
    ensure_permission("开放数据：本人申请", ["dataresources.openapplication"], ("view", "add"),
                      {"applicant": "$user"}, some("citizen", "enterprise"))
    auditors = some("auditor")
    ensure_permission("数据目录（只读）",
                      [*CATALOGUE, "dataresources.sharerequest", "dataresources.sharegrant", "dataresources.accesslog",
                       "dataresources.openapplication", "dataresources.showcase"], ("view",), None, auditors)


@seeder(200, "数据资源目录权限")
def seed_permissions() -> str:
    from zhengshu.accounts.models import User

    ensure_catalogue_permissions({u.username: u for u in User.objects.all()})
    return "已授予"


@seeder(210, "数据资源目录（演示）")
def seed_catalogue() -> str:
    from zhengshu.dataresources.demo_data import seed

    return seed()
