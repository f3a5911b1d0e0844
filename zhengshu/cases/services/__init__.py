"""Every change of a case goes through here (S2–S5), one module per workflow:

- ``lifecycle``: the transitions of the one table (申请 … 评价, 容缺受理, 告知承诺受理, 终止, 撤销, 撤回);
- ``obligations``: 容缺 follow-up (补齐, 提醒, 超期终止), 告知承诺 verification, credit flags;
- ``rating``: 好差评 and rectification; ``crossregion``: 异地代收代办; ``bundles``: 一件事 and the vault;
- ``_common``: the shared helpers (``_move`` refuses an illegal or a stale transition).

Transitions are looked up in ``transitions.TRANSITIONS``; a transition from a state the table does not allow
is refused with a ``ServiceError`` saying which state the case is in and from which states the action is
possible. Each transition writes a ``CaseEvent``; each clock change a ``ClockEvent``. ``at`` (default: now)
lets a command or a test replay a case at a given time; pages and the API never pass it.

Every public name is importable from ``zhengshu.cases.services``. The functions re-exported here carry this
package as their ``__module__``, so the project's convention test (which checks the functions *defined in*
``<app>.services``) checks each of them for its ``@service`` declaration.
"""

from __future__ import annotations

from zhengshu.cases.services._common import (  # noqa: F401 - read by selectors and views
    ALLOWED_UPLOADS,
    ONLINE_CHANNELS,
    PROXY_CHANNEL,
    _active_flags,
)
from zhengshu.cases.services.bundles import _bundle_status, _merged_form  # noqa: F401 - for selectors
from zhengshu.cases.services.lifecycle import (
    submit_application,
    request_correction,
    resubmit,
    resubmit_online,
    reject,
    accept,
    accept_with_tolerance,
    accept_with_commitment,
    start_review,
    suspend,
    resume,
    decide,
    conclude,
    deliver,
    terminate,
    revoke,
    withdraw,
)
from zhengshu.cases.services.obligations import (
    supply_missing_material,
    record_verification,
    flag_applicant,
    lift_flag,
)
from zhengshu.cases.services.rating import (
    rate_case,
    add_revisit,
    close_rectification,
)
from zhengshu.cases.services.crossregion import (
    receive_proxy_application,
    proxy_handoff,
)
from zhengshu.cases.services.bundles import (
    submit_bundle,
    add_vault_material,
)
from zhengshu.cases.services.obligations import _remind_and_terminate_tolerances  # noqa: F401 - job, command

__all__ = [
    "accept",
    "accept_with_commitment",
    "accept_with_tolerance",
    "add_revisit",
    "add_vault_material",
    "close_rectification",
    "conclude",
    "decide",
    "deliver",
    "flag_applicant",
    "lift_flag",
    "proxy_handoff",
    "rate_case",
    "receive_proxy_application",
    "record_verification",
    "reject",
    "request_correction",
    "resubmit",
    "resubmit_online",
    "resume",
    "revoke",
    "start_review",
    "submit_application",
    "submit_bundle",
    "supply_missing_material",
    "suspend",
    "terminate",
    "withdraw",
]

for _name in __all__:
    globals()[_name].__module__ = __name__
