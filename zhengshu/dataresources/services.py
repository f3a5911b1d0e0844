"""Every state change of the catalogue, sharing and open-data applications (keyword-only, permission-checked)."""

from __future__ import annotations

import io
import secrets
from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from zhengshu.core.services import ServiceError, service
from zhengshu.dataresources import choices as c
from zhengshu.dataresources.models import (
    DataItem, DataResource, OpenApplication, ResourceVersion, ShareGrant, ShareRequest,
)
from zhengshu.dataresources.selectors import SNAPSHOT_FIELDS, SNAPSHOT_ITEM_FIELDS, resource_snapshot

RESOURCE_FIELDS = SNAPSHOT_FIELDS
ITEM_FIELDS = SNAPSHOT_ITEM_FIELDS
# A change of these sends a published resource back to the data office (its exposure changes).
REVIEWED_FIELDS = ("share_type", "share_condition", "open_type", "open_condition", "grade")
MAX_SHARE_DAYS = 3 * 366


def _check_items(items: list[dict]) -> None:
    names = [i.get("name") for i in items]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise ValidationError({"items": f"信息项字段名重复：{'、'.join(map(str, dupes))}"})
    if not items:
        raise ValidationError({"items": "至少须有一个信息项"})


def _write_items(resource: DataResource, items: list[dict]) -> None:
    _check_items(items)
    resource.items.all().delete()
    for position, data in enumerate(items, start=1):
        item = DataItem(resource=resource, position=position, **{k: v for k, v in data.items() if k in ITEM_FIELDS})
        if item.grade not in c.Grade.values:
            raise ValidationError({"items": f"信息项“{item.label}”分级无效：{item.grade}（应为 L1–L4）"})
        if int(item.grade[1]) > int(resource.grade[1]):
            raise ValidationError({"items": f"信息项“{item.label}”分级 {item.grade} 高于资源分级 {resource.grade}"})
        item.carry_labels(resource)
        try:
            item.full_clean(exclude=["resource"])
        except ValidationError as exc:
            raise ValidationError({"items": [f"第{position}个信息项（{data.get('name', '')}）：{m}"
                                             for m in exc.messages]}) from None
        item.save()
    resource.search_text = resource.build_search_text([i.get("label", "") for i in items])
    DataResource.objects.filter(pk=resource.pk).update(search_text=resource.search_text)


def _decision_opinion(approve: bool, opinion: str) -> str:
    """The opinion recorded with a decision: a refusal must say why; an approval defaults to 同意."""
    opinion = (opinion or "").strip()
    if not approve and len(opinion) < 2:
        raise ServiceError("驳回须填写意见")
    return (opinion or "同意")[:500]


def _ensure_scope(actor, resource: DataResource, action: str) -> None:
    if not actor.has_perm(f"dataresources.{action}_dataresource", resource):
        raise PermissionDenied(f"{resource.department}的目录超出您的数据范围")


@service(perm="dataresources.add_dataresource")
def create_resource(*, actor, department, data: dict, items: list[dict]) -> DataResource:
    """A department drafts a catalogue entry with its data items (状态：草稿)."""
    resource = DataResource(department=department, status=c.Status.DRAFT,
                            **{k: v for k, v in data.items() if k in RESOURCE_FIELDS})
    resource.code = f"{resource.category_code}/{resource.sequence}"
    resource.full_clean(exclude=["uid"])
    resource.save()
    _ensure_scope(actor, resource, "add")
    _write_items(resource, items)
    return resource


@service(perm="dataresources.change_dataresource", obj="resource")
def update_resource(*, actor, resource: DataResource, data: dict, items: list[dict] | None = None,
                    note: str = "") -> DataResource:
    """Edit a draft, or revise a published entry as a new version (re-reviewed if its exposure changes)."""
    if resource.status == c.Status.WITHDRAWN:
        raise ServiceError(f"“{resource.name}”已撤销，不能修改")
    if resource.status == c.Status.SUBMITTED:
        raise ServiceError(f"“{resource.name}”正在审核中，不能修改")
    before = {name: getattr(resource, name) for name in RESOURCE_FIELDS}
    for name, value in data.items():
        if name in RESOURCE_FIELDS:
            setattr(resource, name, value)
    resource.code = f"{resource.category_code}/{resource.sequence}"
    resource.full_clean(exclude=["uid"])
    changed = [n for n in RESOURCE_FIELDS if before[n] != getattr(resource, n)]
    if resource.status == c.Status.PUBLISHED:
        if not (note or "").strip():
            raise ServiceError("修改已发布的目录须填写变更说明")
        resource.version += 1
        if any(n in REVIEWED_FIELDS for n in changed):
            resource.status, resource.submitted_at = c.Status.SUBMITTED, timezone.now()
    resource.save()
    if items is not None:
        _write_items(resource, items)
    else:
        for item in resource.items.all():
            item.carry_labels(resource)
            item.save(update_fields=["labels"])
    if resource.status in (c.Status.PUBLISHED, c.Status.SUBMITTED) and resource.version > 1:
        ResourceVersion.objects.create(resource=resource, version=resource.version,
                                       snapshot=resource_snapshot(resource), note=note.strip()[:500], actor=actor)
    return resource


@service(perm="dataresources.submit_dataresource", obj="resource")
def submit_resource(*, actor, resource: DataResource) -> DataResource:
    """The provider sends a draft (or a returned entry) to the data office."""
    if resource.status not in (c.Status.DRAFT, c.Status.REJECTED):
        raise ServiceError(f"“{resource.name}”当前为{resource.get_status_display()}，不能提交审核")
    if not resource.items.exists():
        raise ServiceError(f"“{resource.name}”没有信息项，不能提交审核")
    resource.status, resource.submitted_at = c.Status.SUBMITTED, timezone.now()
    resource.save()
    return resource


@service(perm="dataresources.review_dataresource", obj="resource")
def review_resource(*, actor, resource: DataResource, approve: bool, comment: str = "") -> DataResource:
    """The data office publishes a submitted entry or returns it with its reasons."""
    if resource.status != c.Status.SUBMITTED:
        raise ServiceError(f"“{resource.name}”当前为{resource.get_status_display()}，不在待审核状态")
    comment = (comment or "").strip()
    if not approve and len(comment) < 2:
        raise ServiceError("退回须填写审核意见")
    resource.reviewed_by, resource.review_comment = actor, comment[:500]
    if approve:
        resource.status = c.Status.PUBLISHED
        resource.published_at = resource.published_at or timezone.localdate()
        resource.save()
        ResourceVersion.objects.update_or_create(
            resource=resource, version=resource.version,
            defaults={"snapshot": resource_snapshot(resource), "note": comment or "审核发布", "actor": actor})
    else:
        resource.status = c.Status.REJECTED
        resource.save()
    return resource


@service(perm="dataresources.withdraw_dataresource", obj="resource")
def withdraw_resource(*, actor, resource: DataResource, reason: str) -> DataResource:
    """Take a published entry out of the catalogue; its grants stop working."""
    if resource.status != c.Status.PUBLISHED:
        raise ServiceError(f"“{resource.name}”未发布，无需撤销")
    if len((reason or "").strip()) < 2:
        raise ServiceError("撤销须填写原因")
    resource.status, resource.withdrawn_at, resource.review_comment = c.Status.WITHDRAWN, timezone.now(), reason[:500]
    resource.save()
    return resource


# --- sharing (D7) -------------------------------------------------------------------------------


@service(perm="dataresources.add_sharerequest")
def request_share(*, actor, resource: DataResource, purpose: str, item_names: list[str], period_start: date,
                  period_end: date, basis: str = "") -> ShareRequest:
    """A department asks for a published shareable resource: purpose, items, period."""
    if actor.department_id is None:
        raise ServiceError("只有部门工作人员可以申请共享")
    if resource.status != c.Status.PUBLISHED:
        raise ServiceError(f"“{resource.name}”未发布，不能申请共享")
    if resource.share_type == c.ShareType.NONE:
        raise ServiceError(f"“{resource.name}”为不予共享，不能申请")
    if resource.department_id == actor.department_id:
        raise ServiceError("本部门的数据无需申请共享")
    if len((purpose or "").strip()) < 4:
        raise ServiceError("须写明用途（至少4个字）")
    known = set(resource.items.values_list("name", flat=True))
    unknown = [n for n in item_names if n not in known]
    if not item_names or unknown:
        raise ServiceError(f"信息项无效：{'、'.join(unknown) or '未选择信息项'}")
    if period_end < period_start or period_end < timezone.localdate():
        raise ServiceError("使用期限无效：结束日期须不早于开始日期和今天")
    if (period_end - period_start).days > MAX_SHARE_DAYS:
        raise ServiceError("使用期限最长三年")
    status = (c.ShareRequestStatus.PROVIDER_APPROVED if resource.share_type == c.ShareType.UNCONDITIONAL
              else c.ShareRequestStatus.SUBMITTED)
    return ShareRequest.objects.create(
        department_id=actor.department_id, resource=resource, purpose=purpose.strip(), basis=basis.strip(),
        item_names=list(dict.fromkeys(item_names)), period_start=period_start, period_end=period_end,
        status=status, requested_by=actor,
        provider_opinion="无条件共享，免提供方审核" if status == c.ShareRequestStatus.PROVIDER_APPROVED else "",
    )


@service(perm="dataresources.provide_sharerequest", obj="request")
def provider_review_share(*, actor, request: ShareRequest, approve: bool, opinion: str = "") -> ShareRequest:
    """The provider department agrees (or refuses) to share."""
    if request.status != c.ShareRequestStatus.SUBMITTED:
        raise ServiceError(f"该申请当前为{request.get_status_display()}，不在提供方审核环节")
    request.provider_reviewer, request.provider_opinion = actor, _decision_opinion(approve, opinion)
    request.status = c.ShareRequestStatus.PROVIDER_APPROVED if approve else c.ShareRequestStatus.REJECTED
    request.save()
    return request


@service(perm="dataresources.approve_sharerequest", obj="request")
def office_review_share(*, actor, request: ShareRequest, approve: bool, opinion: str = "") -> tuple[ShareRequest, str]:
    """The data office approves: a credential scoped to the resource and items is issued (secret shown once)."""
    if request.status != c.ShareRequestStatus.PROVIDER_APPROVED:
        raise ServiceError(f"该申请当前为{request.get_status_display()}，不在数据办审核环节")
    request.office_reviewer, request.office_opinion = actor, _decision_opinion(approve, opinion)
    if not approve:
        request.status = c.ShareRequestStatus.REJECTED
        request.save()
        return request, ""
    request.status = c.ShareRequestStatus.APPROVED
    request.save()
    secret = "zs_" + secrets.token_urlsafe(30)
    ShareGrant.objects.create(
        request=request, department=request.department, resource=request.resource, item_names=request.item_names,
        key_prefix=secret[:10], key_digest=ShareGrant.digest(secret),
        valid_from=max(request.period_start, timezone.localdate()), expires_on=request.period_end,
    )
    return request, secret


@service(perm="dataresources.revoke_sharegrant", obj="grant")
def revoke_grant(*, actor, grant: ShareGrant, reason: str) -> ShareGrant:
    if grant.revoked_at:
        raise ServiceError("该授权已撤销")
    if len((reason or "").strip()) < 2:
        raise ServiceError("撤销须填写原因")
    grant.revoked_at, grant.revoke_reason = timezone.now(), reason.strip()[:300]
    grant.save()
    return grant


# --- open data (D6) -----------------------------------------------------------------------------


@service(perm="dataresources.add_openapplication")
def apply_open_data(*, actor, resource: DataResource, purpose: str, kind: str = c.ApplicantKind.USER,
                    organisation: str = "", uscc: str = "", scenario: str = "") -> OpenApplication:
    """A registered user (or an authorised operator) applies for a 受限开放 dataset."""
    from zhengshu import identifiers

    if not (resource.is_open and resource.open_type == c.OpenType.RESTRICTED):
        raise ServiceError(f"“{resource.name}”不是可申请的受限开放数据")
    if len((purpose or "").strip()) < 4:
        raise ServiceError("须写明用途（至少4个字）")
    if kind == c.ApplicantKind.OPERATOR:
        if not organisation.strip():
            raise ServiceError("授权运营单位须填写单位名称")
        result = identifiers.check(uscc or "")
        if result["kind"] != "uscc" or not result["valid"]:
            raise ServiceError(f"统一社会信用代码无效：{result['reason']}")
    if OpenApplication.objects.filter(resource=resource, applicant=actor,
                                      status=c.OpenApplicationStatus.SUBMITTED).exists():
        raise ServiceError("您已提交过该数据的申请，正在审核中")
    return OpenApplication.objects.create(resource=resource, applicant=actor, kind=kind, purpose=purpose.strip(),
                                          organisation=organisation.strip(), uscc=uscc.strip(),
                                          scenario=scenario.strip())


@service(perm="dataresources.review_openapplication", obj="application")
def review_open_application(*, actor, application: OpenApplication, approve: bool, opinion: str = "",
                            days: int = 365) -> OpenApplication:
    if application.status != c.OpenApplicationStatus.SUBMITTED:
        raise ServiceError(f"该申请当前为{application.get_status_display()}，不能再审核")
    application.reviewer, application.opinion = actor, _decision_opinion(approve, opinion)
    application.status = c.OpenApplicationStatus.APPROVED if approve else c.OpenApplicationStatus.REJECTED
    application.valid_until = timezone.localdate() + timedelta(days=days) if approve else None
    application.save()
    return application


# --- XLSX import --------------------------------------------------------------------------------


def _cell_errors(exc: ValidationError, sheet: str, number: int, columns) -> list[str]:
    from zhengshu.dataresources.xlsx import column_letter

    by_field = {col.field: (i, col.header) for i, col in enumerate(columns)}
    result = []
    for field, messages in (exc.message_dict.items() if hasattr(exc, "error_dict") else [("", exc.messages)]):
        if field in by_field:
            index, header = by_field[field]
            where = f"{column_letter(index)}列“{header}”"
        elif field == "code" and sheet == "目录":
            where = "A、B列“分类码、顺序码”"
        else:
            where = "" if field in ("", "__all__", "items") else f"字段{field}"
        for message in messages:
            result.append(f"工作表“{sheet}”第{number}行{where}：{message}")
    return result


@service(perm="dataresources.add_dataresource")
def import_catalogue(*, actor, content: bytes) -> dict:
    """Import catalogue entries with their data items from an XLSX workbook (sheets 目录 and 信息项).

    All or nothing: when any row is rejected nothing is written; the counts of accepted and rejected
    rows add up to the rows of each sheet, and every error names its sheet, row and column.
    Entries are created as drafts; an existing draft (or returned entry) of the same code is replaced.
    """
    from openpyxl import load_workbook
    from django.db import transaction

    from zhengshu.dataresources import xlsx
    from zhengshu.orgs.models import Department

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a file that is not a workbook
        raise ServiceError("文件不是有效的 XLSX 工作簿") from None
    res_rows, errors_a = xlsx.read_sheet(workbook, xlsx.RESOURCE_SHEET, xlsx.RESOURCE_COLUMNS)
    item_rows, errors_b = xlsx.read_sheet(workbook, xlsx.ITEM_SHEET, xlsx.ITEM_COLUMNS)
    if errors_a or errors_b:
        raise ServiceError("；".join(errors_a + errors_b))
    departments = {d.code: d for d in Department.objects.all()}
    errors: list[str] = []
    items_by_code: dict[str, list[dict]] = {}
    bad_codes: set[str] = set()
    item_ok = 0
    item_fields = [col.field for col in xlsx.ITEM_COLUMNS if col.field != "resource_code"]
    for number, values, row_errors in item_rows:
        code = values.get("resource_code") or ""
        data = {k: values[k] for k in item_fields if k in values}
        if not row_errors:
            try:
                DataItem(**data).full_clean(exclude=["resource", "labels"])
            except ValidationError as exc:
                row_errors = _cell_errors(exc, xlsx.ITEM_SHEET, number, xlsx.ITEM_COLUMNS)
        if row_errors:
            errors += row_errors
            bad_codes.add(code)
            continue
        item_ok += 1
        items_by_code.setdefault(code, []).append(data)
    codes_in_file = set()
    res_ok = 0
    resource_fields = [col.field for col in xlsx.RESOURCE_COLUMNS if col.field != "department"]
    with transaction.atomic():
        for number, values, row_errors in res_rows:
            code = f"{values.get('category_code', '')}/{values.get('sequence', '')}"
            department = departments.get(values.get("department") or "")
            if values.get("department") and department is None:
                row_errors = [*row_errors, f"工作表“{xlsx.RESOURCE_SHEET}”第{number}行F列“提供部门编码”："
                                           f"部门编码 {values['department']} 不存在"]
            if code in codes_in_file:
                row_errors = [*row_errors, f"工作表“{xlsx.RESOURCE_SHEET}”第{number}行：信息资源代码 {code} 在文件中重复"]
            codes_in_file.add(code)
            if code in bad_codes:
                row_errors = [*row_errors, f"工作表“{xlsx.RESOURCE_SHEET}”第{number}行：{code} 的信息项有错误（见下）"]
            if not row_errors:
                data = {k: values[k] for k in resource_fields}
                try:
                    with transaction.atomic():
                        existing = DataResource.objects.filter(code=code).first()
                        if existing is None:
                            create_resource(actor=actor, department=department, data=data,
                                            items=items_by_code.get(code, []))
                        elif existing.status in (c.Status.DRAFT, c.Status.REJECTED):
                            if existing.department_id != department.pk:
                                raise ServiceError(f"{code} 已由{existing.department}编目，不能改为其他部门")
                            update_resource(actor=actor, resource=existing, data=data,
                                            items=items_by_code.get(code, []))
                        else:
                            raise ServiceError(f"{code} 已{existing.get_status_display()}，导入只能新建或替换草稿")
                except ValidationError as exc:
                    row_errors = _cell_errors(exc, xlsx.RESOURCE_SHEET, number, xlsx.RESOURCE_COLUMNS)
                except PermissionDenied:
                    row_errors = [f"工作表“{xlsx.RESOURCE_SHEET}”第{number}行F列“提供部门编码”："
                                  f"{department.name}超出您的数据范围"]
                except ServiceError as exc:
                    row_errors = [f"工作表“{xlsx.RESOURCE_SHEET}”第{number}行：{exc}"]
            if row_errors:
                errors += row_errors
            else:
                res_ok += 1
        orphans = [(n, v) for n, v, e in item_rows if not e and v.get("resource_code") not in codes_in_file]
        for number, values in orphans:
            errors.append(f"工作表“{xlsx.ITEM_SHEET}”第{number}行A列“信息资源代码”："
                          f"{values.get('resource_code')} 不在“{xlsx.RESOURCE_SHEET}”工作表中")
        item_ok -= len(orphans)
        written = not errors
        if not written:
            transaction.set_rollback(True)
    return {
        "resources": {"total": len(res_rows), "accepted": res_ok, "rejected": len(res_rows) - res_ok},
        "items": {"total": len(item_rows), "accepted": item_ok, "rejected": len(item_rows) - item_ok},
        "written": written,
        "errors": errors,
    }
