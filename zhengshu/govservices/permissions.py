"""Who may do what in the item catalogue (used by the demo seeder and the tests)."""

from __future__ import annotations

OWN_ITEM = {"item__department": "$department"}
CATALOGUE_LABELS = ["govservices.serviceitem", "govservices.material", "govservices.itemfinding",
                    "govservices.itemversion", "govservices.codevalue"]


def grant_catalogue_permissions(users: dict) -> None:
    """Clerks edit their own department's items; the office (数据办) reviews and keeps the code tables.

    ``users`` maps persona names to users (missing personas are skipped). The department clerks' item rights
    come from the foundation's "本部门业务数据" grant (``DEPARTMENT_SCOPED`` includes ServiceItem).
    """
    from zhengshu.accounts.demo import ensure_permission

    def some(*names):
        return [users[n] for n in names if n in users]

    clerks = some("clerk_a", "colleague_a", "outsider_b", "town_clerk")
    staff = some("clerk_a", "colleague_a", "outsider_b", "town_clerk", "auditor", "dataofficer", "supervisor")
    reviewers = some("dataofficer")
    # town_clerk is not in the foundation's clerk list: give the town's clerk its own department's items too.
    ensure_permission("本部门政务服务事项（镇街）", ["govservices.serviceitem"], ("view", "add", "change", "delete"),
                      {"department": "$department"}, some("town_clerk"))
    ensure_permission("本部门事项材料", ["govservices.material"], ("view", "add", "change", "delete"), OWN_ITEM, clerks)
    ensure_permission("本部门事项质量与版本", ["govservices.itemfinding", "govservices.itemversion"], ("view",),
                      OWN_ITEM, clerks)
    ensure_permission("政务服务代码表（查看）", ["govservices.codevalue"], ("view",), None, staff)
    ensure_permission("事项审核发布（市政务数据办）", ["govservices.serviceitem"], ("view", "change", "review"), None,
                      reviewers)
    ensure_permission("事项目录维护（市政务数据办）", ["govservices.material", "govservices.codevalue"],
                      ("view", "add", "change"), None, reviewers)
    # Other departments' staff read an item only while its working copy is the published one: once its own
    # department edits it (草稿/待审核 revision) the working copy is a draft again and drops out of their view
    # (the version in force stays readable in the public guide and through the item's versions).
    ensure_permission("已发布事项（全体工作人员只读）", ["govservices.serviceitem"], ("view",),
                      {"status": "published"}, staff)
    ensure_permission("已发布事项材料（全体工作人员只读）", ["govservices.material"], ("view",),
                      {"item__status": "published"}, staff)
    ensure_permission("已发布事项版本（全体工作人员只读）", ["govservices.itemversion"], ("view",),
                      {"item__published_version__gt": 0}, staff)
    ensure_permission("事项目录（全市只读）", ["govservices.serviceitem", "govservices.material",
                                              "govservices.itemfinding", "govservices.itemversion"],
                      ("view",), None, some("auditor", "dataofficer"))
