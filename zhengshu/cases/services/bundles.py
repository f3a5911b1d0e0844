"""S5: 一件事 (one merged form, linked sub-cases, one overall status) and the applicant's material vault.
"""

from __future__ import annotations

import hashlib
from datetime import date, datetime

from django.core.files.base import ContentFile

from zhengshu.cases.choices import ApplicantKind, CaseStatus
from zhengshu.cases.models import Bundle, BundleApplication, Case, VaultMaterial
from zhengshu.cases.services._common import (
    _attach,
    _attach_vault,
    _check_upload,
    _day,
    _ensure_may_add,
    _need_reason,
    _new_case,
    _now,
)
from zhengshu.core.services import service, ServiceError


def _merged_form(bundle: Bundle) -> dict:
    """The merged form of a bundle: fields and materials deduplicated by name, with the items needing each."""
    fields: dict[str, list[str]] = {}
    materials: dict[str, dict] = {}
    for entry in bundle.entries.select_related("item").prefetch_related("item__materials"):
        for name in entry.fields or ():
            fields.setdefault(name, []).append(entry.item.name)
        for material in entry.item.materials.all():
            slot = materials.setdefault(material.name, {"items": [], "required": False})
            slot["items"].append(entry.item.name)
            slot["required"] = slot["required"] or material.required
    return {"fields": fields, "materials": materials}


@service(perm="cases.add_case")
def submit_bundle(*, actor, bundle: Bundle, applicant_name: str, applicant_id_number: str,
                  applicant_kind: str = ApplicantKind.PERSON, channel: str = "2", form_data: dict | None = None,
                  files: list[tuple[str, str, bytes]] | None = None, vault_items=(),
                  at: datetime | None = None) -> BundleApplication:
    """One submission of a 一件事: one sub-case per item, each getting the fields and materials it needs."""
    at = _now(at)
    if not bundle.active:
        raise ServiceError(f"一件事“{bundle.name}”已停用")
    form = _merged_form(bundle)
    data = form_data or {}
    missing = [name for name in form["fields"] if not str(data.get(name, "")).strip()]
    if missing:
        raise ServiceError("合并表单缺少字段：" + "、".join(missing))
    application = BundleApplication.objects.create(
        bundle=bundle, applicant_name=applicant_name, applicant_id_number=applicant_id_number.strip().upper(),
        applicant_user=actor if getattr(actor, "kind", "staff") != "staff" else None, form_data=data, submitted_at=at,
    )
    for entry in bundle.entries.select_related("item"):
        item = entry.item
        case = _new_case(actor=actor, item=item, channel=channel, applicant_kind=applicant_kind,
                         applicant_name=applicant_name, applicant_id_number=applicant_id_number, contact_name="",
                         contact_phone="", form_data={k: data[k] for k in entry.fields or () if k in data}, at=at,
                         via_platform=True, bundle_application=application)
        _ensure_may_add(actor, case)
        needed = {m.name: m for m in item.materials.all()}
        for name, filename, content in files or ():
            if name in needed:
                _attach(case, name=name, content=content, filename=filename, material=needed[name], at=at)
        for vault in vault_items:
            if vault.name in needed:
                _attach_vault(case, vault, at)
    return application


def _bundle_status(application: BundleApplication) -> str:
    """One overall status: 已办结 when every sub-case is finished, 办理中 while any is open, else the worst."""
    statuses = set(application.cases.values_list("status", flat=True))
    finished = {CaseStatus.CONCLUDED, CaseStatus.DELIVERED, CaseStatus.RATED}
    if statuses and statuses <= finished:
        return "已办结"
    if statuses & {CaseStatus.REJECTED, CaseStatus.TERMINATED, CaseStatus.REVOKED, CaseStatus.WITHDRAWN}:
        return "部分未通过"
    if statuses & {CaseStatus.CORRECTION}:
        return "待补正"
    return "办理中"


@service(perm="cases.add_vaultmaterial")
def add_vault_material(*, actor, owner_id_number: str, name: str, filename: str, content: bytes, source: str,
                       issued_by: str = "", valid_until: date | None = None, source_case: Case | None = None,
                       at: datetime | None = None) -> VaultMaterial:
    """Put a material into an applicant's vault, with its provenance and validity."""
    at = _now(at)
    owner_id_number = owner_id_number.strip().upper()
    if getattr(actor, "kind", "staff") != "staff" and owner_id_number not in (actor.id_number, actor.enterprise_uscc):
        raise ServiceError("只能向本人或本企业的材料库添加材料")
    _check_upload(filename, content)
    vault = VaultMaterial(owner_id_number=owner_id_number, name=name[:300], source=_need_reason(source, "材料来源"),
                          issued_by=issued_by[:200], valid_from=_day(at), valid_until=valid_until,
                          sha256=hashlib.sha256(content).hexdigest(), created_at=at, source_case=source_case,
                          owner_user=actor if getattr(actor, "kind", "staff") != "staff" else None)
    vault.file.save(filename[-100:], ContentFile(content), save=False)
    vault.save()
    return vault
