from django import forms

from zhengshu.datagov.models import AggregationResource


class AggregationResourceForm(forms.ModelForm):
    class Meta:
        model = AggregationResource
        fields = ("code", "name", "department", "update_cycle", "delivery_workdays", "application", "due_since",
                  "is_active", "description")
        widgets = {"due_since": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}
