"""Generic list / detail / edit / delete pages for any model, configured by a ``ModelConfig``.

Every read goes through ``restrict(user, action)``: an object outside the user's scope answers 404;
an object the user may see but not change answers 403 on edit and delete. Writes go through the
generic services (``core.services``), never ``form.save()``.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import django_filters
from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, path, reverse
from django.utils.html import format_html
from django.views import View

from zhengshu.core.masking import mask
from zhengshu.core.services import ServiceError, create_object, delete_object, update_object

EXPORT_LIMIT = 100_000


@dataclass
class ModelConfig:
    """What the generic pages of one model show; each app declares one per model in ``views.py``."""

    model: type[models.Model]
    list_fields: tuple[str, ...]
    search_fields: tuple[str, ...] = ()
    filter_fields: tuple[str, ...] = ()
    detail_fields: tuple[str, ...] | None = None
    form_fields: tuple[str, ...] | None = None  # None: read-only through the pages
    form_class: type[forms.ModelForm] | None = None
    deletable: bool = True
    queryset_hook: Any = None  # callable(qs) -> qs, e.g. select_related
    url_prefix: str = ""  # default: the model name plus "s"
    extra_filters: Any = None  # callable() -> {name: django_filters.Filter}, beside the model-field filters

    @property
    def meta(self):
        return self.model._meta

    def url(self, action: str, obj: models.Model | None = None) -> str | None:
        name = f"{self.meta.app_label}:{self.meta.model_name}_{action}"
        try:
            return reverse(name, args=[obj.pk] if obj is not None else [])
        except NoReverseMatch:
            return None

    def perm(self, action: str) -> str:
        return f"{self.meta.app_label}.{action}_{self.meta.model_name}"

    def queryset(self, user, action: str = "view"):
        qs = self.model._default_manager.restrict(user, action)
        return self.queryset_hook(qs) if self.queryset_hook else qs

    @cached_property
    def filterset_class(self) -> type[django_filters.FilterSet]:
        search = self.search_fields

        class Meta:
            model = self.model
            fields = list(self.filter_fields)

        def filter_q(qs, name, value):
            if not value:
                return qs
            q = models.Q()
            for field_name in search:
                q |= models.Q(**{f"{field_name}__icontains": value})
            return qs.filter(q)

        attrs = {"Meta": Meta, **(self.extra_filters() if self.extra_filters else {})}
        if search:
            attrs["q"] = django_filters.CharFilter(label="关键词", method=lambda qs, n, v: filter_q(qs, n, v))
        return type(f"{self.model.__name__}FilterSet", (django_filters.FilterSet,), attrs)

    def edit_form_class(self) -> type[forms.ModelForm]:
        if self.form_class is not None:
            return self.form_class
        if self.form_fields is None:  # pragma: no cover - no URL routes here for read-only models
            raise PermissionDenied(f"{self.meta.verbose_name}不能在页面上编辑")
        return forms.modelform_factory(self.model, fields=self.form_fields)


def display_value(obj: models.Model, name: str, *, masked: bool = True) -> str:
    """A field's value as text for tables and exports; personal fields masked."""
    field_obj = obj._meta.get_field(name)
    if getattr(field_obj, "choices", None):
        return str(getattr(obj, f"get_{name}_display")())
    value = getattr(obj, name)
    masked_fields = getattr(obj, "masked_fields", {})
    if masked and name in masked_fields:
        return mask(masked_fields[name], str(value or ""))
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "是" if value else "否"
    if hasattr(value, "all") and callable(value.all):
        return "、".join(str(v) for v in value.all())
    if hasattr(value, "strftime"):
        from django.utils import timezone

        if hasattr(value, "hour"):
            return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if timezone.is_aware(value) else str(value)
        return value.strftime("%Y-%m-%d")
    return str(value)


def field_label(model: type[models.Model], name: str) -> str:
    return str(model._meta.get_field(name).verbose_name)


class ConfiguredView(LoginRequiredMixin, View):
    config: ModelConfig

    def title(self) -> str:
        return str(self.config.meta.verbose_name)


class ObjectListView(ConfiguredView):
    template_name = "generic/object_list.html"
    paginate_by = 50

    def get(self, request):
        config = self.config
        if not request.user.has_perm(config.perm("view")):
            raise PermissionDenied
        filterset = config.filterset_class(request.GET or None, queryset=config.queryset(request.user))
        qs = filterset.qs if filterset.is_bound else filterset.queryset
        if request.GET.get("export") == "xlsx":
            return self.export(request, qs)
        page = Paginator(qs, self.paginate_by).get_page(request.GET.get("page"))
        params = request.GET.copy()
        params.pop("page", None)
        context = {
            "title": self.title(),
            "table": {
                "columns": [{"name": n, "label": field_label(config.model, n)} for n in config.list_fields],
                "rows": [
                    {"url": config.url("detail", obj), "cells": [display_value(obj, n) for n in config.list_fields]}
                    for obj in page.object_list
                ],
            },
            "filter_form": filterset.form,
            "page_obj": page,
            "querystring_without_page": (params.urlencode() + "&") if params else "",
            "add_url": config.url("add") if config.form_fields is not None and request.user.has_perm(config.perm("add")) else None,
            "export_url": f"?{params.urlencode()}&export=xlsx" if params else "?export=xlsx",
        }
        return render(request, self.template_name, context)

    def export(self, request, qs):
        """The filtered rows as an Excel workbook (masked as on screen); the export itself is logged."""
        from openpyxl import Workbook

        from zhengshu.core.models import ChangeAction, record_change

        config = self.config
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(self.title()[:31])
        sheet.append([field_label(config.model, n) for n in config.list_fields])
        count = 0
        for obj in qs[:EXPORT_LIMIT].iterator(chunk_size=2000):
            sheet.append([display_value(obj, n) for n in config.list_fields])
            count += 1
        buffer = io.BytesIO()
        workbook.save(buffer)
        record_change(action=ChangeAction.EXPORT, object_type=config.meta.label_lower,
                      object_repr=self.title(), message=f"导出 {count} 行；条件：{request.GET.urlencode()}"[:500])
        response = HttpResponse(
            buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        filename = f"{config.meta.model_name}.xlsx"
        response["Content-Disposition"] = f"attachment; filename={filename}"
        return response


class ObjectDetailView(ConfiguredView):
    template_name = "generic/object_detail.html"

    def get(self, request, pk):
        config = self.config
        if not request.user.has_perm(config.perm("view")):  # no grant at all: 403; out of scope: 404
            raise PermissionDenied
        obj = get_object_or_404(config.queryset(request.user), pk=pk)
        names = config.detail_fields or tuple(
            f.name for f in config.meta.concrete_fields if f.name not in ("id", "password", "totp_secret")
        )
        masked_fields = getattr(obj, "masked_fields", {})
        can_reveal = request.user.has_perm(config.perm("reveal"), obj) if masked_fields else False
        fields = []
        for name in names:
            value = display_value(obj, name)
            if name in masked_fields and can_reveal and getattr(obj, name):
                value = format_html(
                    '<span id="reveal-{0}">{1}</span> <button type="button" class="btn btn-link btn-sm p-0 ms-2" '
                    'data-reveal-url="{2}" data-field="{0}" data-target="reveal-{0}">查看完整信息</button>',
                    name, value, reverse("core:reveal", args=[config.meta.label_lower, obj.pk, name]),
                )
            fields.append((field_label(config.model, name), value))
        changes = []
        if request.user.has_perm("core.view_changelogentry"):
            from zhengshu.core.models import ChangeLogEntry

            changes = ChangeLogEntry.objects.filter(object_type=config.meta.label_lower, object_id=str(obj.pk))[:20]
        can_change = config.form_fields is not None and request.user.has_perm(config.perm("change"), obj)
        can_delete = config.deletable and request.user.has_perm(config.perm("delete"), obj)
        return render(request, self.template_name, {
            "title": self.title(), "object": obj, "fields": fields, "changes": changes,
            "list_url": config.url("list"),
            "edit_url": config.url("edit", obj) if can_change else None,
            "delete_url": config.url("delete", obj) if can_delete else None,
        })


def _scoped_object(config: ModelConfig, user, pk, action: str) -> models.Model:
    """404 outside the view scope; 403 when visible but not ``action``-able."""
    if not user.has_perm(config.perm("view")):
        raise PermissionDenied
    obj = get_object_or_404(config.queryset(user), pk=pk)
    if not user.has_perm(config.perm(action), obj):
        raise PermissionDenied
    return obj


class ObjectEditView(ConfiguredView):
    template_name = "generic/object_edit.html"

    def _setup(self, request, pk):
        config = self.config
        if pk is None:
            if not request.user.has_perm(config.perm("add")):
                raise PermissionDenied
            return None
        return _scoped_object(config, request.user, pk, "change")

    def get(self, request, pk=None):
        obj = self._setup(request, pk)
        initial = {}
        if obj is None and "department" in (self.config.form_fields or ()) and request.user.department_id:
            initial["department"] = request.user.department_id
        form = self.config.edit_form_class()(instance=obj, initial=initial)
        return self.render_form(request, form, obj)

    def post(self, request, pk=None):
        obj = self._setup(request, pk)
        form = self.config.edit_form_class()(request.POST, request.FILES, instance=obj)
        if form.is_valid():
            data, m2m = {}, {}
            for name, value in form.cleaned_data.items():
                model_field = self.config.meta.get_field(name)
                (m2m if model_field.many_to_many else data)[name] = value
            try:
                if obj is None:
                    obj = create_object(actor=request.user, model=self.config.model, data=data, m2m=m2m)
                else:
                    obj = update_object(actor=request.user, instance=obj, data=data, m2m=m2m)
            except ValidationError as exc:
                _add_errors(form, exc)
            except (PermissionDenied, ServiceError) as exc:
                form.add_error(None, str(exc) or "超出您的数据范围")
            else:
                messages.success(request, f"已保存{self.title()}：{obj}")
                return redirect(self.config.url("detail", obj) or self.config.url("list"))
        return self.render_form(request, form, obj, status=400)

    def render_form(self, request, form, obj, status=200):
        return_url = self.config.url("detail", obj) if obj is not None else self.config.url("list")
        return render(request, self.template_name,
                      {"title": self.title(), "object": obj, "form": form, "return_url": return_url}, status=status)


def _add_errors(form: forms.Form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


class ObjectDeleteView(ConfiguredView):
    template_name = "generic/object_delete.html"

    def get(self, request, pk):
        obj = _scoped_object(self.config, request.user, pk, "delete")
        return render(request, self.template_name,
                      {"title": self.title(), "object": obj, "return_url": self.config.url("detail", obj)})

    def post(self, request, pk):
        obj = _scoped_object(self.config, request.user, pk, "delete")
        label = str(obj)
        try:
            delete_object(actor=request.user, instance=obj)
        except ServiceError as exc:
            messages.error(request, str(exc))
            return redirect(self.config.url("detail", obj))
        messages.success(request, f"已删除{self.title()}：{label}")
        return redirect(self.config.url("list"))


def model_urls(config: ModelConfig, pk_converter: str = "int") -> list:
    """The URL patterns of a model's generic pages, named ``<model>_list|add|detail|edit|delete``."""
    name = config.meta.model_name
    prefix = config.url_prefix or f"{config.meta.model_name}s"

    def view(base):
        return type(f"{config.model.__name__}{base.__name__}", (base,), {"config": config}).as_view()

    editable = config.form_fields is not None or config.form_class is not None
    patterns = [path(f"{prefix}/", view(ObjectListView), name=f"{name}_list")]
    if editable:  # before the detail pattern, which would otherwise swallow "add" as a string key
        patterns.append(path(f"{prefix}/add/", view(ObjectEditView), name=f"{name}_add"))
    patterns.append(path(f"{prefix}/<{pk_converter}:pk>/", view(ObjectDetailView), name=f"{name}_detail"))
    if editable:
        patterns.append(path(f"{prefix}/<{pk_converter}:pk>/edit/", view(ObjectEditView), name=f"{name}_edit"))
        if config.deletable:
            patterns.append(path(f"{prefix}/<{pk_converter}:pk>/delete/", view(ObjectDeleteView), name=f"{name}_delete"))
    return patterns
