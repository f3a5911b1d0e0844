import json

from django import forms

from zhengshu.archive.models import ArchiveSource


class ArchiveSourceForm(forms.ModelForm):
    schema = forms.JSONField(label="数据项定义", required=False, widget=forms.Textarea(attrs={"rows": 8}),
                             help_text="数据资源目录中没有此资源时填写（JSON，管道的数据项定义格式，含 link 关联键）",
                             encoder=None)

    class Meta:
        model = ArchiveSource
        fields = ("resource_code", "name", "category", "authority", "name_index", "enabled", "schema")

    def clean_schema(self):
        value = self.cleaned_data.get("schema")
        if isinstance(value, str):
            try:
                value = json.loads(value)
            except ValueError:
                raise forms.ValidationError("数据项定义不是有效的 JSON") from None
        return value or {}
