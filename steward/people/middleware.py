"""Show each signed-in user the site in their own time zone and language."""

from __future__ import annotations

import zoneinfo

from django.conf import settings
from django.utils import timezone, translation

_LANGUAGES = {code for code, _name in settings.LANGUAGES}


class UserPreferencesMiddleware:
    """Activates the user's time zone and language for the request, and resets both after.

    Runs after AuthenticationMiddleware and LocaleMiddleware: a signed-in user's own language
    wins over the browser's Accept-Language.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # What was active before the request is active after it, whatever the request
        # activated on the way (an API token activates its owner's language, inside the view).
        active = translation.get_language()
        try:
            return self._respond(request)
        finally:
            if active:
                translation.activate(active)
            else:
                translation.deactivate()

    def _respond(self, request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return self.get_response(request)
        try:
            timezone.activate(zoneinfo.ZoneInfo(user.time_zone))
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            timezone.deactivate()
        language = user.language if user.language in _LANGUAGES else None
        if language:
            translation.activate(language)
            request.LANGUAGE_CODE = language
        try:
            response = self.get_response(request)
        finally:
            timezone.deactivate()
        if language:
            response.headers["Content-Language"] = language
        return response
