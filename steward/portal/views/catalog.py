"""The catalog for the person ordering: the categories and items they may order (with a
search), and one item's order form, built from the item's form definition by fulfilment
(``forms_runtime.form_for``: visible-if fields, errors naming the field)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from steward.core.errors import DomainError
from steward.portal import sources
from steward.portal.views.common import page, require, show_error
from steward.portal.views.home import MAX_QUERY, search_items

PAGE_SIZE = 24


@login_required
@require_GET
def catalog(request):
    """The items ``user`` may order, by category (``?category=``), or those matching ``?q=``."""
    require(sources.catalog_on())
    user = request.user
    text = " ".join(request.GET.get("q", "").split())[:MAX_QUERY]
    categories = list(sources.catalog_categories(user))
    chosen = request.GET.get("category", "")
    category = next((c for c in categories if str(c.pk) == chosen), None)
    if text:
        rows = search_items(user, text, limit=PAGE_SIZE * 4)
    else:
        rows = sources.catalog_items(user)
        if category is not None:
            rows = rows.filter(category=category)
    items = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"q": text, "categories": categories, "category": category, "items": items}
    return page(request, "portal/catalog.html", context, current="catalog")


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def catalog_item(request, pk: int):
    """One item with its order form; a valid order goes to the requested item's page."""
    require(sources.catalog_on())
    from steward.fulfilment import forms_runtime
    from steward.fulfilment import operations as fulfilment_ops

    user = request.user
    item = sources.catalog_items(user).filter(pk=pk).first()
    if item is None:
        raise Http404
    posted = request.method == "POST"
    form = forms_runtime.form_for(
        item, user, data=request.POST if posted else None, files=request.FILES if posted else None
    )
    status = 200
    if posted:
        if form.is_valid():
            try:
                order = fulfilment_ops.order(user, items=[form.order_item(quantity=1)])
            except DomainError as exc:
                _place_answers_error(form, exc)
            else:
                ordered = order.items.order_by("id").first()
                messages.success(
                    request,
                    _("Thank you: %(number)s has been ordered. Follow it here.")
                    % {"number": ordered.number},
                )
                return redirect("portal:item", ordered.number)
        status = 422
    context = {"item": item, "form": form}
    return page(request, "portal/catalog_item.html", context, current="catalog", status=status)


def _place_answers_error(form, exc) -> None:
    """The order operation names a question as ``answers.<name>``: show it beside the field."""
    for name in exc.fields:
        field = name.split(".", 1)[1] if name.startswith("answers.") else name
        if field in form.fields:
            form.add_error(field, exc.message)
            return
    show_error(form, exc)
