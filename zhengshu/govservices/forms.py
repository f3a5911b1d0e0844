"""Forms of the item catalogue: an item with code-table choices, its materials, code values."""

from __future__ import annotations

from django import forms

from zhengshu.govservices.models import CodeValue, LimitUnit, ServiceItem


def code_choices(table: str, *, blank: str | None = None) -> list[tuple[str, str]]:
    choices = [(v.code, f"{v.code} {v.name}") for v in CodeValue.objects.filter(table=table, active=True)]
    return ([("", blank)] if blank is not None else []) + choices


class ServiceItemForm(forms.ModelForm):
    item_type = forms.ChoiceField(label="事项类型")
    exercise_level = forms.ChoiceField(label="行使层级", required=False,
                                       help_text="留空则取实施编码第19位")
    online_depth = forms.ChoiceField(label="网办深度", required=False)
    cross_region_scope = forms.ChoiceField(label="通办范围", required=False)
    handling_forms = forms.MultipleChoiceField(label="办理形式", required=False, widget=forms.CheckboxSelectMultiple)
    service_objects = forms.MultipleChoiceField(label="服务对象", required=False, widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = ServiceItem
        fields = (
            "name", "implementation_code", "basic_code", "department", "item_type", "exercise_level", "basis",
            "legal_limit", "legal_limit_unit", "is_immediate", "promised_limit", "promised_limit_unit", "visits",
            "onsite_reason", "handling_forms", "online_depth", "service_objects", "cross_region_scope", "fee",
            "fee_basis", "online_payment", "allows_commitment", "consult_phone", "supervise_phone",
            "handling_address", "handling_time", "result_name", "acceptance_conditions", "process", "faq",
            "keywords",
        )
        widgets = {name: forms.Textarea(attrs={"rows": 3})
                   for name in ("basis", "acceptance_conditions", "process", "faq", "fee_basis")}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["basic_code"].required = False
        self.fields["basic_code"].help_text = "留空则取实施编码第20–31位"
        self.fields["item_type"].choices = code_choices("item_type", blank="请选择")
        self.fields["exercise_level"].choices = code_choices("exercise_level", blank="（按实施编码）")
        self.fields["online_depth"].choices = code_choices("online_depth", blank="（未填）")
        self.fields["cross_region_scope"].choices = code_choices("cross_region", blank="（不通办）")
        self.fields["handling_forms"].choices = code_choices("handling_form")
        self.fields["service_objects"].choices = code_choices("service_object")
        if user is not None and "department" in self.fields:
            from zhengshu.orgs.models import Department

            scope = Department.objects.filter(is_active=True)
            q = user.permission_q(ServiceItem, "add" if self.instance.pk is None else "change")
            if q is None or q:  # no grant, or constrained: the user's own department (the service re-checks)
                scope = scope.filter(pk=user.department_id)
            self.fields["department"].queryset = scope
            self.fields["department"].label = "实施主体"


class MaterialForm(forms.Form):
    name = forms.CharField(label="材料名称", max_length=300)
    originals = forms.IntegerField(label="原件", min_value=0, max_value=99, initial=0)
    copies = forms.IntegerField(label="复印件", min_value=0, max_value=99, initial=0)
    required = forms.BooleanField(label="必备", required=False, initial=True)
    may_be_missing = forms.BooleanField(label="可容缺", required=False)
    missing_max_workdays = forms.IntegerField(label="容缺补齐（工作日）", min_value=1, max_value=365, required=False)
    commitment_allowed = forms.BooleanField(label="可告知承诺", required=False)


MaterialFormSet = forms.formset_factory(MaterialForm, extra=2, can_delete=True)


class CodeValueForm(forms.ModelForm):
    class Meta:
        model = CodeValue
        fields = ("table", "code", "name", "aliases", "sort", "active")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:  # codes are referenced by items: rename or deactivate, never recode
            self.fields["table"].disabled = True
            self.fields["code"].disabled = True
            self.fields["code"].help_text = "已有代码不能改码，只能改名称或停用"


UNIT_LABELS = dict(LimitUnit.choices)
