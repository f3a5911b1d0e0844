from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from zhengshu.accounts import authn
from zhengshu.accounts.forms import LoginForm, PasswordChangeForm, TotpConfirmForm, UserForm
from zhengshu.accounts.models import ObjectPermission, User
from zhengshu.core.views.generic import ModelConfig

USER = ModelConfig(
    model=User,
    list_fields=("username", "full_name", "kind", "department", "admin_role", "phone", "is_active", "last_login"),
    search_fields=("username", "full_name"),
    filter_fields=("kind", "admin_role", "is_active", "department"),
    detail_fields=("username", "full_name", "kind", "department", "phone", "id_number", "enterprise_uscc",
                   "admin_role", "is_active", "totp_confirmed", "locked_until", "last_login", "password_changed_at"),
    form_class=UserForm,
    form_fields=UserForm.Meta.fields,
    deletable=False,
    queryset_hook=lambda qs: qs.select_related("department"),
)
PERMISSION = ModelConfig(
    model=ObjectPermission,
    list_fields=("name", "enabled", "actions", "constraints", "description"),
    search_fields=("name", "description"),
    filter_fields=("enabled",),
    form_fields=("name", "description", "enabled", "object_types", "actions", "constraints", "users", "groups"),
    url_prefix="permissions",
)


def _demo_logins():
    if not settings.DEMO:
        return None
    from zhengshu.accounts.demo import demo_logins_with_codes

    return demo_logins_with_codes()


def login_view(request):
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = ""
    form = LoginForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            authn.attempt_login(request, **form.cleaned_data)
        except authn.LoginRefused as exc:
            form.add_error(None, str(exc))
            status = 400
        else:
            return redirect(next_url or settings.LOGIN_REDIRECT_URL)
    elif request.method == "POST":
        status = 400
    return render(request, "accounts/login.html",
                  {"form": form, "next": next_url, "demo_logins": _demo_logins()}, status=status)


@require_POST
def logout_view(request):
    authn.logout_user(request)
    messages.info(request, "您已安全退出。")
    return redirect(settings.LOGOUT_REDIRECT_URL)


@login_required
def profile(request):
    from zhengshu.core.views.generic import display_value

    user = request.user
    fields = [(str(User._meta.get_field(n).verbose_name), display_value(user, n))
              for n in ("username", "full_name", "kind", "department", "phone", "admin_role", "totp_confirmed",
                        "password_changed_at", "last_login")]
    return render(request, "generic/object_detail.html",
                  {"title": "个人信息", "heading": "个人信息", "object": user, "fields": fields, "changes": [],
                   "list_url": None})


@login_required
def password_change(request):
    form = PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        request.user.set_password(form.cleaned_data["new_password1"])
        request.user.save()
        update_session_auth_hash(request, request.user)
        messages.success(request, "密码已修改。")
        return redirect("core:home")
    return render(request, "generic/object_edit.html",
                  {"title": "修改密码", "heading": "修改密码", "object": request.user, "form": form,
                   "return_url": "/"},
                  status=400 if request.method == "POST" else 200)


@login_required
def totp_setup(request):
    """Bind an authenticator app: a new secret, shown as an otpauth URI, confirmed by one code."""
    user = request.user
    form = TotpConfirmForm(request.POST or None)
    if request.method == "POST" and "renew" in request.POST:
        authn.new_totp_secret(user)
        form = TotpConfirmForm()
    elif request.method == "POST" and form.is_valid():
        if authn.confirm_totp(user, form.cleaned_data["code"]):
            messages.success(request, "动态验证码已绑定，下次登录须输入。")
            return redirect("accounts:profile")
        form.add_error("code", "动态验证码不正确")
    uri = authn.provisioning_uri(user) if user.totp_secret and not user.totp_confirmed else ""
    return render(request, "accounts/totp_setup.html", {"form": form, "uri": uri, "secret": user.totp_secret if uri else "",
                                                        "confirmed": user.totp_confirmed})
