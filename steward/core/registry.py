"""The kinds of contributions a practice declares, and the readers that collect them.

Each app declares its contributions once, in its ``Practice`` (``core.practices``), from its
``AppConfig.ready()``; the core never imports a practice. The readers below keep the
contributions of the practices that are switched on:
- navigation: the entries of the main menu;
- search: providers for the global search box, each returning rows the user may see;
- demo data: the steps of ``manage.py load_demo`` (of every practice, on or off);
- start-page panels and panels on other apps' detail pages;
- panels beside other apps' forms (known errors while an incident is raised) and actions in
  other apps' bulk bars (open a problem from the selected incidents).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from steward.core.practices import all_contributions, contributions, enabled_practices


@dataclass(frozen=True)
class NavEntry:
    key: str
    label: str
    url_name: str
    order: int = 100
    visible: Callable = lambda user: user.is_authenticated


@dataclass(frozen=True)
class SearchHit:
    kind: str
    title: str
    url: str
    summary: str = ""


@dataclass(frozen=True)
class SearchProvider:
    key: str
    label: str
    search: Callable  # (user, text, limit) -> list[SearchHit]
    order: int = 100


def nav_entries(user) -> list[NavEntry]:
    entries = sorted(contributions("nav"), key=lambda e: (e.order, str(e.label)))
    return [e for e in entries if e.visible(user)]


def account_entries(user) -> list[NavEntry]:
    """The account menu's entries (profile, tokens, ...), contributed like the menu's."""
    entries = sorted(contributions("account"), key=lambda e: (e.order, str(e.label)))
    return [e for e in entries if e.visible(user)]


def admin_entries(user) -> list[NavEntry]:
    """The sections of the Administration area (users, groups, the incident settings...),
    contributed like the menu's; each entry's ``visible`` says who may open it."""
    entries = sorted(contributions("admin"), key=lambda e: (e.order, str(e.label)))
    return [e for e in entries if e.visible(user)]


def requester_home(user) -> str | None:
    """The URL name of the page where ``user`` lands after signing in when they are a
    requester and a practice that is on offers one (``Practice.requester_home``), else None."""
    if user is None or not user.is_authenticated or user.is_it:
        return None
    return next((p.requester_home for p in enabled_practices() if p.requester_home), None)


def search_providers() -> list[SearchProvider]:
    return sorted(contributions("search"), key=lambda p: (p.order, str(p.label)))


@dataclass(frozen=True)
class DemoStep:
    """Adds one practice's demo data; must be idempotent (running it twice changes nothing)."""

    key: str
    load: Callable  # (stdout) -> None
    order: int = 100


def demo_steps() -> list[DemoStep]:
    """Every practice's step, on or off: the demo switches every practice on."""
    return sorted(all_contributions("demo"), key=lambda s: (s.order, s.key))


@dataclass(frozen=True)
class HomePanel:
    """A card on the start page; practices register theirs from their registrations.py."""

    key: str
    title: str
    rows: Callable  # (user, limit) -> (count, [(label, url, meta), ...])
    order: int = 100
    more_url: str = ""
    more_query: str = ""  # appended to more_url after "?", e.g. "queue=mine"
    empty: str = ""
    visible: Callable = field(default=lambda user: True)
    #: Work waiting for the person (a handover to their group, a proposal, a sign-off): shown
    #: first, in its own section, and only when something waits.
    waiting: bool = False


def home_panels() -> list[HomePanel]:
    return sorted(contributions("home_panels"), key=lambda p: (p.order, str(p.title)))


@dataclass(frozen=True)
class DetailPanel:
    """A card that a practice adds to another app's detail page (e.g. slm's SLAs on a service).

    ``context(obj, user)`` returns the template's context, or None to show nothing.
    """

    key: str
    record_type: str  # app_label.model, e.g. "services.service"
    template: str
    context: Callable  # (obj, user) -> dict | None
    order: int = 100


def detail_panels(obj, user) -> list[dict]:
    """The rendered-ready panels for ``obj``: ``[{"template", "context"}]``."""
    label = obj._meta.label_lower
    out = []
    for panel in sorted(contributions("detail_panels"), key=lambda p: (p.order, p.key)):
        if panel.record_type == label:
            context = panel.context(obj, user)
            if context is not None:
                out.append({"template": panel.template, "context": context})
    return out


@dataclass(frozen=True)
class FormPanel:
    """A card that a practice adds beside another app's create form, kept up to date as the
    form is filled in: the page asks ``url_name`` (GET, with the current values of ``fields``)
    for an HTML fragment on load and whenever one of those fields changes. Without JavaScript
    the panel is simply absent: the form works the same."""

    key: str
    record_type: str  # app_label.model whose create form shows it
    url_name: str
    fields: tuple = ()  # the form's field names sent with each request
    order: int = 100
    visible: Callable = field(default=lambda user: True)


def form_panels(record_type: str, user) -> list[FormPanel]:
    panels = sorted(contributions("form_panels"), key=lambda p: (p.order, p.key))
    return [p for p in panels if p.record_type == record_type and p.visible(user)]


@dataclass(frozen=True)
class BulkAction:
    """An action that a practice adds to another app's bulk bar (the queue's "act on the
    selected" panel). Its button posts the bar's form, the selection included (``pick``
    values), to ``url_name``; that view answers as it sees fit (usually a redirect to a form
    filled in from the selection)."""

    key: str
    record_type: str  # app_label.model whose queue shows it
    legend: str
    label: str
    url_name: str
    help: str = ""
    order: int = 100
    visible: Callable = field(default=lambda user: True)


def bulk_actions(record_type: str, user) -> list[BulkAction]:
    actions = sorted(contributions("bulk_actions"), key=lambda a: (a.order, a.key))
    return [a for a in actions if a.record_type == record_type and a.visible(user)]
