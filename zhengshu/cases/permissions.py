"""The grants of the case app, used by the demo seeder and by the tests (one place, same shape)."""

from __future__ import annotations

from django.contrib.auth.models import Group

STAFF_ACTIONS = ("view", "add", "accept", "handle", "rate", "revoke", "reveal")
APPLICANT_ACTIONS = ("view", "add", "apply", "rate")
PUBLIC_GROUP = "网上办事用户"


def grant_case_permissions(users: dict) -> None:
    """Window and back-office staff handle their department tree's cases; applicants their own cases."""
    from zhengshu.accounts.demo import ensure_permission

    staff = [users[n] for n in ("clerk_a", "colleague_a", "outsider_b", "town_clerk") if n in users]
    ensure_permission("办件受理与办理（本部门及下级）", ["cases.case"], STAFF_ACTIONS,
                      {"department__in": "$department_tree"}, staff)
    ensure_permission("办件相关记录（本部门及下级）",
                      ["cases.rectification", "cases.applicantflag", "cases.bundle"],
                      ("view", "add", "change"), {"department__in": "$department_tree"}, staff)
    ensure_permission("异地通办与一件事目录（只读）",
                      ["cases.partnerregion", "cases.agreement", "cases.metricdefinition", "cases.parameter",
                       "cases.vaultmaterial"],
                      ("view",), None, [*staff, *[users[n] for n in ("auditor", "dataofficer") if n in users]])
    ensure_permission("办件指标口径维护", ["cases.metricdefinition", "cases.parameter", "cases.partnerregion",
                                          "cases.agreement", "cases.bundle"],
                      ("view", "add", "change"), None, [users[n] for n in ("dataofficer",) if n in users])
    ensure_permission("全市办件（只读）", ["cases.case", "cases.rectification", "cases.applicantflag", "cases.bundle"],
                      ("view",), None, [users[n] for n in ("auditor", "dataofficer") if n in users])
    public = [users[n] for n in ("citizen", "enterprise") if n in users]
    perm = ensure_permission("本人办件（网上申办）", ["cases.case"], APPLICANT_ACTIONS, {"applicant_user": "$user"},
                             public)
    vault = ensure_permission("本人材料库", ["cases.vaultmaterial"], ("view", "add"), {"owner_user": "$user"}, public)
    group, _ = Group.objects.get_or_create(name=PUBLIC_GROUP)
    perm.groups.add(group)
    vault.groups.add(group)
    for user in public:
        user.groups.add(group)
