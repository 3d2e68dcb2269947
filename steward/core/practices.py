"""Practices: one declaration per app of everything it contributes, and the practice switch.

Each app declares itself once, in its ``AppConfig.ready()``, with :func:`register_practice`::

    register_practice(Practice(key="incidents", name=_("Incidents"), app="incidents",
                               nav=[...], search=[...], home_panels=[...], demo=[...], ...))

The core reads the contributions it knows (menu entries, search providers, start-page and
detail panels, demo steps) through ``core.registry``; contributions whose types live in higher
apps (ownership gap providers, slm tracked record types, later KPIs) ride along as opaque
objects that their owning registry (``ownership.gaps``, ``slm.records``) reads from here, so the
core never imports upward.

Administrators switch practices on and off (``core.operations.set_practice_enabled``). A
practice that is off contributes nothing (no menu entry, panel, search hit, gap), and
:class:`PracticeGateMiddleware` and :func:`api_gate` answer 404 for its pages and API. Platform
apps are always on (``switchable=False``). Nothing is deleted: switching a practice on brings
everything back. The enabled set is read once per request (one small query, kept for the
request in a context variable); outside a request each call reads it afresh.
"""

from __future__ import annotations

import contextvars
import functools
from collections.abc import Callable
from dataclasses import dataclass

from django.apps import apps
from django.http import Http404
from django.utils.translation import gettext as _

#: Practice keys are lower-case words joined by underscores (they appear in URLs).
KEY_PATTERN = r"^[a-z][a-z0-9_]{0,39}$"


@dataclass(frozen=True)
class Practice:
    """What one app is and what it contributes. Lists are turned into tuples on creation."""

    key: str
    name: str
    #: The Django app label whose pages and API this practice gates (defaults to ``key``).
    app: str = ""
    description: str = ""
    #: Sentences saying what switching the practice on brings (shown on the Practices page).
    brings: tuple = ()
    #: Keys of the practices that must be on while this one is.
    depends_on: tuple[str, ...] = ()
    #: The ownership app's process whose owner is this practice's process owner.
    process_key: str = ""
    #: False for the platform (people, services, ownership, ...): always on.
    switchable: bool = True
    #: Whether a new installation starts with it on.
    on_by_default: bool = False
    order: int = 100
    nav: tuple = ()  # core.registry.NavEntry
    account: tuple = ()  # core.registry.NavEntry: entries of the account menu
    admin: tuple = ()  # core.registry.NavEntry: sections of the Administration area
    search: tuple = ()  # core.registry.SearchProvider
    home_panels: tuple = ()  # core.registry.HomePanel
    detail_panels: tuple = ()  # core.registry.DetailPanel
    form_panels: tuple = ()  # core.registry.FormPanel
    bulk_actions: tuple = ()  # core.registry.BulkAction
    demo: tuple = ()  # core.registry.DemoStep
    gaps: tuple = ()  # ownership.gaps.GapProvider, read by ownership.gaps
    tracked_types: tuple = ()  # slm.records.TrackedType, read by slm.records
    kpis: tuple = ()  # KPI providers, read by reporting
    approval_subjects: tuple = ()  # approvals.registry.ApprovalSubject, read by approvals
    mail_events: tuple = ()  # notifications.mail_templates.MailEvent: mail admins may reword
    #: The page (a URL name) where a requester lands after signing in (the portal); the first
    #: practice that is on and names one wins. IT staff land on the start page.
    requester_home: str = ""

    def __post_init__(self):
        for name in (
            "brings",
            "depends_on",
            "nav",
            "account",
            "admin",
            "search",
            "home_panels",
            "detail_panels",
            "form_panels",
            "bulk_actions",
            "demo",
            "gaps",
            "tracked_types",
            "kpis",
            "approval_subjects",
            "mail_events",
        ):
            object.__setattr__(self, name, tuple(getattr(self, name)))
        if not self.app:
            object.__setattr__(self, "app", self.key)
        if not self.switchable and not self.on_by_default:
            object.__setattr__(self, "on_by_default", True)


_practices: dict[str, Practice] = {}


def register_practice(practice: Practice) -> None:
    """Declare a practice (call once, from the app's ``AppConfig.ready()``)."""
    _practices[practice.key] = practice
    _by_app.cache_clear()


def all_practices() -> list[Practice]:
    return sorted(_practices.values(), key=lambda p: (p.order, p.key))


def get(key: str) -> Practice | None:
    return _practices.get(key)


@functools.cache
def _by_app() -> dict[str, Practice]:
    return {p.app: p for p in _practices.values()}


def for_app(label: str) -> Practice | None:
    return _by_app().get(label)


def dependents(key: str) -> list[Practice]:
    """The practices that depend on ``key``."""
    return [p for p in all_practices() if key in p.depends_on]


# --- which practices are on --------------------------------------------------------------------


class _States:
    """The stored switches, read at most once (per request when the middleware made it)."""

    __slots__ = ("stored",)

    def __init__(self):
        self.stored: dict[str, bool] | None = None

    def get(self) -> dict[str, bool]:
        if self.stored is None:
            from steward.core import statements
            from steward.core.models import PracticeState

            rows = statements.fetch_compiled(
                ("core.practice_states",),
                lambda: PracticeState.objects.values_list("key", "enabled"),
            )
            self.stored = {key: bool(enabled) for key, enabled in rows}
        return self.stored


_request_states: contextvars.ContextVar[_States | None] = contextvars.ContextVar(
    "steward_practice_states", default=None
)


def stored_states() -> dict[str, bool]:
    states = _request_states.get()
    return (states or _States()).get()


def forget_states() -> None:
    """Drop the request's copy of the switches (after an operation changed them)."""
    states = _request_states.get()
    if states is not None:
        states.stored = None


def is_on(practice: Practice, stored: dict[str, bool] | None = None) -> bool:
    if not practice.switchable:
        return True
    stored = stored_states() if stored is None else stored
    return stored.get(practice.key, practice.on_by_default)


def is_enabled(key: str) -> bool:
    """Whether the practice ``key`` is on (an unknown key is off)."""
    practice = _practices.get(key)
    return practice is not None and is_on(practice)


def enabled_practices() -> list[Practice]:
    """The practices that are on, in their order. Reads the switches only if some practice
    can be switched."""
    everything = all_practices()
    if not any(p.switchable for p in everything):
        return everything
    stored = stored_states()
    return [p for p in everything if is_on(p, stored)]


def contributions(kind: str) -> list:
    """Every ``kind`` contribution (``"nav"``, ``"gaps"``...) of the practices that are on."""
    return [item for p in enabled_practices() for item in getattr(p, kind)]


def all_contributions(kind: str) -> list:
    """Every ``kind`` contribution, whether its practice is on or off (demo steps, tracked
    record types: machinery that keeps working while a practice is hidden)."""
    return [item for p in all_practices() for item in getattr(p, kind)]


# --- the gate ----------------------------------------------------------------------------------


@functools.lru_cache(maxsize=1024)
def _app_of_module(module: str) -> str | None:
    config = apps.get_containing_app_config(module)
    return config.label if config is not None else None


def practice_of(func) -> Practice | None:
    """The practice owning a view function (by the app its module belongs to)."""
    target = getattr(func, "view_class", func)
    module = getattr(target, "__module__", None) or ""
    label = _app_of_module(module) if module.startswith("steward.") else None
    return for_app(label) if label else None


def off_message(practice: Practice) -> str:
    return _(
        "The %(name)s practice is switched off; an administrator can switch it on on the "
        "Practices page."
    ) % {"name": practice.name}


class PracticeGateMiddleware:
    """Keeps the switches for the request (read once, on first use) and answers 404 for the
    pages of a practice that is off. The API is gated by :func:`api_gate` (its views are
    ninja's, not the practice's)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _request_states.set(_States())
        try:
            return self.get_response(request)
        finally:
            _request_states.reset(token)

    def process_view(self, request, view_func, view_args, view_kwargs):
        practice = practice_of(view_func)
        if practice is not None and not is_on(practice):
            raise Http404(off_message(practice))
        return None


def api_gate(run: Callable) -> Callable:
    """A ninja ``view``-mode decorator (``api.add_decorator(api_gate, mode="view")``): an
    operation of a practice that is off answers 404 ``practice_off``, before authentication,
    as an address that does not exist does."""
    operation = getattr(run, "__self__", None)
    practice = practice_of(operation.view_func) if operation is not None else None
    if practice is None or not practice.switchable:
        return run

    @functools.wraps(run)
    def gated(request, *args, **kwargs):
        if not is_on(practice):
            from steward.core.api_support import error_response

            return error_response(404, off_message(practice), {}, code="practice_off")
        return run(request, *args, **kwargs)

    return gated
