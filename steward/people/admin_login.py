"""The Django admin's sign-in, behind the same throttle as the sign-in page.

Both call ``authenticate(request, ...)``, so the throttled backend (people.auth) already guards
the password check; this module only makes a blocked admin sign-in say so and answer 429.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm

from steward.people.auth import blocked_message, sign_in_blocked_for


class ThrottledAdminAuthenticationForm(AdminAuthenticationForm):
    def clean(self):
        try:
            return super().clean()
        except forms.ValidationError:
            wait = sign_in_blocked_for(self.request) if self.request is not None else None
            if wait is not None:
                raise forms.ValidationError(blocked_message(wait), code="throttled") from None
            raise


admin.site.login_form = ThrottledAdminAuthenticationForm


def admin_login(request, extra_context=None):
    """``admin.site.login``, answering 429 while this client's sign-in is blocked."""
    response = admin.site.login(request, extra_context)
    if request.method == "POST" and sign_in_blocked_for(request) is not None:
        response.status_code = 429
    return response
