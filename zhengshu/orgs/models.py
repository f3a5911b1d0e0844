"""行政区划 and 部门: where things are, and who owns them."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models

from zhengshu import identifiers
from zhengshu.core.models import BaseModel, ChangeLoggedModel
from zhengshu.orgs.choices import DepartmentLevel, DivisionLevel

__all__ = ["Department", "Division"]


class Division(BaseModel):
    """A GB/T 2260 administrative division (6 digits) or an NBS township (9 digits), current or abolished.

    Reference data loaded by ``zhengshu load-divisions``, not edited by hand, so not change-logged
    row by row (the load itself is one change-log row).
    """

    code = models.CharField("区划代码", max_length=12, primary_key=True)
    name = models.CharField("名称", max_length=100)
    level = models.CharField("级别", max_length=12, choices=DivisionLevel.choices)
    parent = models.ForeignKey(
        "self", verbose_name="上级区划", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="children", db_constraint=False,
    )
    current = models.BooleanField("现行", default=True)
    valid_from = models.PositiveSmallIntegerField("启用年份", null=True, blank=True)
    valid_to = models.PositiveSmallIntegerField("停用年份", null=True, blank=True)
    successor_codes = models.CharField("新代码", max_length=100, blank=True)

    class Meta:
        ordering = ("code",)
        verbose_name = verbose_name_plural = "行政区划"

    def __str__(self) -> str:
        return f"{self.name}（{self.code}）"


class Department(ChangeLoggedModel):
    """A department (部门/单位) in the city's tree: 市级部门 → 镇·街道 → 村·社区."""

    name = models.CharField("名称", max_length=100)
    short_name = models.CharField("简称", max_length=50, blank=True)
    code = models.CharField("部门编码", max_length=32, unique=True, help_text="平台内唯一，如 HN-SJB")
    uscc = models.CharField("统一社会信用代码", max_length=18, blank=True)
    level = models.CharField("层级", max_length=10, choices=DepartmentLevel.choices, default=DepartmentLevel.CITY)
    parent = models.ForeignKey(
        "self", verbose_name="上级部门", null=True, blank=True, on_delete=models.PROTECT, related_name="children",
    )
    division = models.ForeignKey(
        Division, verbose_name="行政区划", on_delete=models.PROTECT, related_name="departments",
    )
    path = models.CharField("树路径", max_length=255, editable=False, db_index=True, default="")
    sort_order = models.PositiveIntegerField("排序", default=100)
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        ordering = ("path",)
        verbose_name = verbose_name_plural = "部门"

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.uscc:
            result = identifiers.check(self.uscc)
            if result["kind"] != "uscc" or not result["valid"]:
                raise ValidationError({"uscc": f"统一社会信用代码无效：{result['reason']}"})
        ancestor = self.parent
        while ancestor is not None:
            if ancestor.pk == self.pk and self.pk is not None:
                raise ValidationError({"parent": "上级部门不能是本部门或其下级部门"})
            ancestor = ancestor.parent

    # The path is derived from the tree, so it is not logged as a change of its own.
    changelog_exclude = (*ChangeLoggedModel.changelog_exclude, "path")

    def save(self, *args, **kwargs):
        parent_path = self.parent.path if self.parent_id else "/"
        old_path, creating = self.path, self.pk is None
        if not creating:
            self.path = f"{parent_path}{self.pk}/"
        super().save(*args, **kwargs)
        if creating:
            self.path = f"{parent_path}{self.pk}/"
            Department.objects.filter(pk=self.pk).update(path=self.path)
        elif old_path and old_path != self.path:
            for child in Department.objects.filter(parent=self):
                child.save()

    def subtree_ids(self) -> list[int]:
        return list(Department.objects.filter(path__startswith=self.path).values_list("pk", flat=True))
