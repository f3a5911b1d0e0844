from django import forms
from django.conf import settings

from zhengshu.trading.choices import NEXT_STAGES, Stage
from zhengshu.trading.models import CheckRule, TenderProject, VillageProject

DATE = forms.DateInput(attrs={"type": "date"})


def city_divisions(towns_only: bool = False):
    """The city's own current divisions (the city and its towns), not the country's 7,800 codes."""
    from zhengshu.orgs.choices import DivisionLevel
    from zhengshu.orgs.models import Division

    qs = Division.objects.filter(code__startswith=settings.CITY_DIVISION, current=True)
    return qs.filter(level=DivisionLevel.TOWNSHIP) if towns_only else qs


class TenderProjectForm(forms.ModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "tenderer_division" in self.fields:
            self.fields["tenderer_division"].queryset = city_divisions()


class VillageProjectForm(forms.ModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "town" in self.fields:
            self.fields["town"].queryset = city_divisions(towns_only=True)


class AdvanceForm(forms.Form):
    to = forms.ChoiceField(label="转到阶段")
    on = forms.DateField(label="日期", widget=DATE)
    note = forms.CharField(label="备注", required=False, max_length=500)

    def __init__(self, *args, project: TenderProject, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to"].choices = [(s, Stage(s).label) for s in NEXT_STAGES[Stage(project.stage)]]


class UploadForm(forms.Form):
    file = forms.FileField(label="招标文件（docx、pdf、html、txt）")

    MAX_BYTES = 30 * 1024 * 1024

    def clean_file(self):
        f = self.cleaned_data["file"]
        if f.size > self.MAX_BYTES:
            raise forms.ValidationError(f"文件 {f.name} 超过 30 MB")
        return f


class FindingActionForm(forms.Form):
    action = forms.ChoiceField(label="处理", choices=(("resolve", "已整改"), ("override", "监管放行")))
    reason = forms.CharField(label="理由", max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


class CheckRuleForm(forms.ModelForm):
    hit_examples = forms.CharField(label="应命中用例（每行一条）", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    miss_examples = forms.CharField(label="不应命中用例（每行一条）", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    sections = forms.CharField(label="适用部分（逗号分隔，如 qualification, scoring）", required=False)

    class Meta:
        model = CheckRule
        fields = ("rule_id", "enabled", "severity", "group", "basis", "message", "suggestion", "pattern", "sections",
                  "hit_examples", "miss_examples")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["hit_examples"] = "\n".join(self.instance.hit_examples or [])
            self.initial["miss_examples"] = "\n".join(self.instance.miss_examples or [])
            self.initial["sections"] = ", ".join(self.instance.sections or [])

    def _lines(self, name):
        return [line.strip() for line in (self.cleaned_data.get(name) or "").splitlines() if line.strip()]

    def clean_hit_examples(self):
        return self._lines("hit_examples")

    def clean_miss_examples(self):
        return self._lines("miss_examples")

    def clean_sections(self):
        return [s.strip() for s in (self.cleaned_data.get("sections") or "").replace("，", ",").split(",") if s.strip()]


class BidForm(forms.Form):
    bidder = forms.ModelChoiceField(label="投标人", queryset=None)
    price_yuan = forms.DecimalField(label="投标报价（元）", max_digits=16, decimal_places=2, min_value=0)
    submitted_at = forms.DateTimeField(label="递交时间", widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))

    def __init__(self, *args, **kwargs):
        from zhengshu.trading.models import Enterprise

        super().__init__(*args, **kwargs)
        self.fields["bidder"].queryset = Enterprise.objects.order_by("name")


class EvaluationForm(forms.Form):
    """评标报告: a rank (ranked) or any number (unranked) next to each bid marks it as a candidate."""

    report_date = forms.DateField(label="评标报告日期", widget=DATE)
    committee_size = forms.IntegerField(label="评标委员会人数", min_value=1, initial=5)
    ranked = forms.BooleanField(label="候选人排序", required=False)
    remarks = forms.CharField(label="评标意见", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, project: TenderProject, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("ranked", project.candidates_ranked)
        self.bids = list(project.bids.select_related("bidder").filter(rejected=False).order_by("price_yuan"))
        for bid in self.bids:
            self.fields[f"cand_{bid.pk}"] = forms.IntegerField(
                label=f"{bid.bidder}（{bid.price_yuan:,.2f} 元）", required=False, min_value=1,
                help_text="填名次（排序时）或任意数字（不排序时）即推荐为候选人")

    def candidates(self) -> list[dict]:
        ranked = self.cleaned_data["ranked"]
        out = [{"bid": b, "rank": self.cleaned_data[f"cand_{b.pk}"] if ranked else None}
               for b in self.bids if self.cleaned_data.get(f"cand_{b.pk}")]
        return sorted(out, key=lambda c: c["rank"] or 0)


class CommitteeForm(forms.Form):
    formed_on = forms.DateField(label="组建日期", widget=DATE)
    method = forms.ChoiceField(label="定标方法")
    formation = forms.CharField(label="产生方式", required=False, initial="从招标人定标委员会成员库随机抽取")
    compliance_basis = forms.CharField(label="混合方式合规依据", required=False)
    supervisor_present = forms.CharField(label="监督人员", required=False)
    members = forms.CharField(label="委员（每行：姓名，职务，利害关系说明——无则留空）",
                              widget=forms.Textarea(attrs={"rows": 5}))

    def __init__(self, *args, **kwargs):
        from zhengshu.trading.choices import AwardMethod

        super().__init__(*args, **kwargs)
        self.fields["method"].choices = AwardMethod.choices

    def clean_members(self):
        rows = []
        for n, line in enumerate(self.cleaned_data["members"].splitlines(), 1):
            parts = [p.strip() for p in line.replace(",", "，").split("，")]
            if not parts or not parts[0]:
                continue
            if len(parts[0]) > 50:
                raise forms.ValidationError(f"第 {n} 行姓名过长")
            note = parts[2] if len(parts) > 2 else ""
            rows.append({"name": parts[0], "position": parts[1] if len(parts) > 1 else "", "declared": True,
                         "conflict": bool(note), "conflict_note": note})
        if not rows:
            raise forms.ValidationError("至少填写一名委员")
        return rows


class DecisionForm(forms.Form):
    decided_on = forms.DateField(label="定标日期", widget=DATE)
    rationale = forms.CharField(label="定标理由（择优/比劣）", widget=forms.Textarea(attrs={"rows": 3}))
    winner = forms.ChoiceField(label="中标人（集体议事、抽签时填写）", required=False)

    def __init__(self, *args, committee, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", "—")] + [(str(c.bid.bidder_id), str(c.bid.bidder)) for c in candidates]
        self.fields["winner"].choices = choices
        self.members = [m for m in committee.members.all() if not m.conflict]
        for m in self.members:
            self.fields[f"vote_{m.pk}"] = forms.ChoiceField(label=f"{m.name} 表决", choices=choices, required=False)
            self.fields[f"reason_{m.pk}"] = forms.CharField(label=f"{m.name} 理由", required=False, max_length=500)

    def votes(self) -> dict:
        from zhengshu.trading.models import Enterprise

        out = {}
        for m in self.members:
            choice = self.cleaned_data.get(f"vote_{m.pk}")
            if choice:
                out[m.pk] = (Enterprise.objects.get(pk=int(choice)), self.cleaned_data.get(f"reason_{m.pk}", ""))
        return out
