"""Who may do what in the assistant (used by the demo seeder and the tests)."""

from __future__ import annotations

CURATION_LABELS = ["assistant.alias", "assistant.faqentry", "assistant.questionlog"]
PUBLIC_GROUP = "网上办事用户"


def grant_assistant_permissions(users: dict) -> None:
    """Staff of a department work the assisted-handling requests routed to it; the office (数据办) curates the
    knowledge; citizens and enterprises file and follow their own requests.

    ``users`` maps persona names to users (missing personas are skipped). Department clerks' rights on
    requests of their own department come from the foundation's "本部门业务数据" grant (``DEPARTMENT_SCOPED``
    includes AssistRequest); the town clerk gets its town and the villages under it here.
    """
    from django.contrib.auth.models import Group

    from zhengshu.accounts.demo import ensure_permission

    def some(*names):
        return [users[n] for n in names if n in users]

    # A town's helpers also work the queues of its villages and communities (routing sends a request to the
    # nearest 村·社区 that offers the item; most villages have no staff account of their own).
    ensure_permission("本部门帮办请求（镇街）", ["assistant.assistrequest"], ("view", "change"),
                      {"department__in": "$department_tree"}, some("town_clerk"))
    ensure_permission("智能问答知识维护（市政务数据办）", CURATION_LABELS, ("view", "add", "change", "delete"), None,
                      some("dataofficer"))
    ensure_permission("全部帮办请求（市政务数据办）", ["assistant.assistrequest"], ("view", "change"), None,
                      some("dataofficer"))
    ensure_permission("智能问答与帮办（只读）", [*CURATION_LABELS, "assistant.assistrequest"], ("view",), None,
                      some("auditor"))
    public = some("citizen", "enterprise")
    perm = ensure_permission("本人帮办请求", ["assistant.assistrequest"], ("view", "add"), {"requester": "$user"},
                             public)
    group, _ = Group.objects.get_or_create(name=PUBLIC_GROUP)
    perm.groups.add(group)
    for user in public:
        user.groups.add(group)
