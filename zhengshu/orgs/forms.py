from django import forms
from django.conf import settings

from zhengshu.orgs.models import Department, Division


class DepartmentForm(forms.ModelForm):
    class Meta:
        model = Department
        fields = ("name", "short_name", "code", "uscc", "level", "parent", "division", "sort_order", "is_active")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Offer the city's own divisions (city, its towns), not all 10,000 codes of the country.
        city = settings.CITY_DIVISION
        self.fields["division"].queryset = Division.objects.filter(code__startswith=city, current=True)
