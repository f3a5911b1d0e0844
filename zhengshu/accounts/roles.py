"""What each of the three administrator roles may do (三权分立), fixed in code, not data.

- 系统管理员 runs the system: departments, divisions, calendar, accounts (not their permissions),
  jobs. It cannot read the change log.
- 安全管理员 decides who may do what: permissions, groups, unlocking accounts, admin roles.
- 审计管理员 reads the change log and the accounts it names, and changes nothing at all.

Object permissions granted to an admin account in data cannot widen these rules: ``DENY`` wins.
"""

from __future__ import annotations

ALL = ("view", "add", "change", "delete")

GRANTS: dict[str, dict[str, tuple[str, ...]]] = {
    "system": {
        "orgs.division": ALL,
        "orgs.department": ALL,
        "accounts.user": ("view", "add", "change"),
        "core.calendaroverride": ALL,
        "core.job": ("view", "add"),
    },
    "security": {
        "accounts.user": ("view", "change", "unlock", "reveal"),
        "accounts.objectpermission": ALL,
        "auth.group": ALL,
        "orgs.department": ("view",),
    },
    "audit": {
        "core.changelogentry": ("view",),
        "core.changeloganchor": ("view",),
        "accounts.user": ("view",),
        "orgs.department": ("view",),
    },
}

AUDIT_MODELS = ("core.changelogentry", "core.changeloganchor")


def denied(role: str, model_label: str, action: str) -> bool:
    """True when the role may never do this, whatever permissions say."""
    if role == "audit" and action != "view":
        return True
    return role == "system" and model_label in AUDIT_MODELS


def granted(role: str, model_label: str, action: str) -> bool:
    return action in GRANTS.get(role, {}).get(model_label, ())

# What every active staff member may do without any grant: read reference data and city-wide
# calendar days, and the calendar days of the own department. Same shape as ObjectPermission
# constraints (None = unconstrained).
STAFF_BASELINE: dict[tuple[str, str], object] = {
    ("orgs.division", "view"): None,
    ("orgs.department", "view"): None,
    ("core.calendaroverride", "view"): [{"citywide": True}, {"department": "$department"}],
    ("core.changelogentry", "view_own"): {"actor": "$user"},  # one's own actions, on the home page
}
