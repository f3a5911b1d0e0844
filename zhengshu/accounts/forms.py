from django import forms
from django.contrib.auth import password_validation

from zhengshu.accounts.models import User


class LoginForm(forms.Form):
    username = forms.CharField(label="用户名", max_length=150)
    password = forms.CharField(label="密码", strip=False, widget=forms.PasswordInput)
    otp_code = forms.CharField(
        label="动态验证码", required=False, max_length=8,
        help_text="管理员账号须输入身份验证器中的6位动态码",
    )


class PasswordChangeForm(forms.Form):
    old_password = forms.CharField(label="当前密码", strip=False,
                                   widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))
    new_password1 = forms.CharField(label="新密码", strip=False,
                                    widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
                                    help_text=password_validation.password_validators_help_text_html())
    new_password2 = forms.CharField(label="确认新密码", strip=False,
                                    widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))

    def __init__(self, user: User, *args, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_old_password(self):
        value = self.cleaned_data["old_password"]
        if not self.user.check_password(value):
            raise forms.ValidationError("当前密码不正确")
        return value

    def clean(self):
        data = super().clean()
        new1, new2 = data.get("new_password1"), data.get("new_password2")
        if new1 and new2 and new1 != new2:
            self.add_error("new_password2", "两次输入的新密码不一致")
        elif new1:
            try:
                password_validation.validate_password(new1, self.user)
            except forms.ValidationError as exc:
                self.add_error("new_password1", exc)
        return data


class TotpConfirmForm(forms.Form):
    code = forms.CharField(label="动态验证码", max_length=8, help_text="输入身份验证器显示的6位数字")


class UserForm(forms.ModelForm):
    class Meta:
        model = User
        # admin_role is not here: assigning the 三员 roles is the security admin's, not the system admin's
        # (see docs/security.md); until its own page exists it is done with the command line.
        fields = ("username", "full_name", "kind", "department", "phone", "id_number", "enterprise_uscc", "is_active")
