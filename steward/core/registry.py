"""Registries that let a low app show contributions from the practices above it.

Each practice registers in its ``AppConfig.ready()``; the core never imports a practice.
- navigation: the entries of the main menu (a practice switched off simply registers none);
- search: providers for the global search box, each returning rows the user may see.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field


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


_nav: dict[str, NavEntry] = {}
_search: dict[str, SearchProvider] = {}


def register_nav(entry: NavEntry) -> None:
    _nav[entry.key] = entry


def nav_entries(user) -> list[NavEntry]:
    return [e for e in sorted(_nav.values(), key=lambda e: (e.order, e.label)) if e.visible(user)]


def register_search(provider: SearchProvider) -> None:
    _search[provider.key] = provider


def search_providers() -> list[SearchProvider]:
    return sorted(_search.values(), key=lambda p: (p.order, p.label))


@dataclass(frozen=True)
class DemoStep:
    """Adds one practice's demo data; must be idempotent (running it twice changes nothing)."""

    key: str
    load: Callable  # (stdout) -> None
    order: int = 100


_demo: dict[str, DemoStep] = {}


def register_demo(step: DemoStep) -> None:
    _demo[step.key] = step


def demo_steps() -> list[DemoStep]:
    return sorted(_demo.values(), key=lambda s: (s.order, s.key))


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


_home_panels: dict[str, HomePanel] = {}


def register_home_panel(panel: HomePanel) -> None:
    _home_panels[panel.key] = panel


def home_panels() -> list[HomePanel]:
    return sorted(_home_panels.values(), key=lambda p: (p.order, p.title))


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


_detail_panels: dict[str, DetailPanel] = {}


def register_detail_panel(panel: DetailPanel) -> None:
    _detail_panels[panel.key] = panel


def detail_panels(obj, user) -> list[dict]:
    """The rendered-ready panels for ``obj``: ``[{"template", "context"}]``."""
    label = obj._meta.label_lower
    out = []
    for panel in sorted(_detail_panels.values(), key=lambda p: (p.order, p.key)):
        if panel.record_type == label:
            context = panel.context(obj, user)
            if context is not None:
                out.append({"template": panel.template, "context": context})
    return out
