"""Who may do what in the archive: the grants the demo seeder and the tests give the personas."""

from __future__ import annotations

from zhengshu.accounts.demo import ensure_permission

READERS = ("clerk_a", "colleague_a", "auditor", "dataofficer", "supervisor")


def grant_archive(users: dict) -> None:
    """``users`` maps persona name → User (missing names are skipped)."""
    def some(*names):
        return [users[n] for n in names if n in users]

    ensure_permission("企业档案查阅（全市）", ["archive.archivebuild", "archive.archivesource", "archive.matchdecision"],
                      ("view",), None, some(*READERS))
    ensure_permission("企业档案构建与关联复核", ["archive.archivebuild", "archive.matchdecision"],
                      ("view", "add", "change"), None, some("dataofficer"))
    ensure_permission("企业档案数据来源配置", ["archive.archivesource"], ("view", "add", "change", "delete"), None,
                      some("dataofficer"))
