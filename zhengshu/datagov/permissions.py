"""Who may do what in the data-governance app (used by the demo seeder and the tests).

- the data office (数据资源处) manages everything: registry, policy, deliveries, inspection, shutdown
  approval and reinstatement;
- department staff see their own department's registry entries, batches, snapshots, reminders and
  shutdown orders, sign reminders and report rectification (the "本部门业务数据" grant of
  ``accounts`` covers the department-scoped models; this adds the rest);
- every staff member reads the bulletins and the regime's rules (a bulletin is city-wide).
"""

from __future__ import annotations

ALL_MODELS = ("datagov.governancepolicy", "datagov.aggregationresource", "datagov.delivery",
              "datagov.qualitysnapshot", "datagov.inspectionrun", "datagov.reminder", "datagov.bulletin",
              "datagov.shutdownorder", "datagov.rectification")


def grant_datagov(users: dict) -> None:
    """Grant the personas in ``users`` (username → User) their data-governance permissions."""
    from zhengshu.accounts.demo import ensure_permission

    def pick(*names):
        return [users[n] for n in names if n in users]

    ensure_permission("数据治理（数据办）", ALL_MODELS,
                      ("view", "add", "change", "delete", "approve", "reinstate"), None, pick("dataofficer"))
    staff = pick("clerk_a", "colleague_a", "outsider_b", "town_clerk")
    ensure_permission("本部门归集清单（只读）", ["datagov.aggregationresource"], ("view",),
                      {"department": "$department"}, staff)
    ensure_permission("本部门停机整改", ["datagov.shutdownorder"], ("view", "rectify"),
                      {"department": "$department"}, staff)
    ensure_permission("本部门周提醒签收", ["datagov.reminder"], ("view", "change"),
                      {"department": "$department"}, staff)
    ensure_permission("本部门质量数据（只读）", ["datagov.qualitysnapshot", "datagov.delivery"], ("view",),
                      {"department": "$department"}, staff)
    ensure_permission("数据治理通报（只读）", ["datagov.bulletin", "datagov.governancepolicy"], ("view",), None,
                      [*staff, *pick("dataofficer", "auditor", "supervisor")])
    ensure_permission("数据治理（全市只读）", ALL_MODELS, ("view",), None, pick("auditor"))
