from __future__ import annotations

from django import forms

from zhengshu.dataresources.models import DataItem, DataResource
from zhengshu.dataresources.services import ITEM_FIELDS, RESOURCE_FIELDS


class ResourceForm(forms.ModelForm):
    class Meta:
        model = DataResource
        fields = ("department", *RESOURCE_FIELDS)
        widgets = {"summary": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        from zhengshu.orgs.models import Department

        self.fields["department"].label = "提供部门"
        if user is not None and not user.has_perm("dataresources.review_dataresource"):
            self.fields["department"].queryset = Department.objects.filter(pk=user.department_id)
        if self.instance.pk:
            self.fields["department"].disabled = True


class ItemForm(forms.ModelForm):
    enum_text = forms.CharField(label="枚举值", required=False, help_text="以顿号分隔")

    class Meta:
        model = DataItem
        fields = tuple(f for f in ITEM_FIELDS if f != "enum_values")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["enum_text"].initial = "、".join(self.instance.enum_values or [])

    def item_data(self) -> dict:
        import re

        data = {k: v for k, v in self.cleaned_data.items() if k in ITEM_FIELDS}
        data["enum_values"] = [v for v in re.split(r"[、,，]+", self.cleaned_data.get("enum_text") or "") if v]
        return data


ItemFormSet = forms.modelformset_factory(DataItem, form=ItemForm, extra=3, can_delete=True)


class ShareRequestForm(forms.Form):
    purpose = forms.CharField(label="用途", max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
    basis = forms.CharField(label="依据", max_length=300, required=False)
    item_names = forms.MultipleChoiceField(label="申请信息项", widget=forms.CheckboxSelectMultiple)
    period_start = forms.DateField(label="使用期限自", widget=forms.DateInput(attrs={"type": "date"}))
    period_end = forms.DateField(label="使用期限至", widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, resource: DataResource, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item_names"].choices = [(i.name, f"{i.label}（{i.name}）") for i in resource.items.all()]


class DecisionForm(forms.Form):
    approve = forms.TypedChoiceField(label="结论", choices=(("1", "同意"), ("0", "不同意")), coerce=lambda v: v == "1")
    opinion = forms.CharField(label="意见", max_length=500, required=False)


class ImportForm(forms.Form):
    file = forms.FileField(label="XLSX 文件")


__all__ = ["DecisionForm", "ImportForm", "ItemFormSet", "ResourceForm", "ShareRequestForm"]
