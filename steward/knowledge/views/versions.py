"""An article's versions (KCS: every edit is a version with its author) and the comparison of
any two of them, rendered on the server (``knowledge.diff``): readable without JavaScript, the
changes marked with ``<ins>`` and ``<del>``. IT staff only: a requester reads the current text."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext_lazy

from steward.knowledge import diff
from steward.knowledge.forms import DiffForm
from steward.knowledge.models import ArticleVersion
from steward.knowledge.views.articles import article_for, staff

#: The content fields as the article page names them.
LABELS = {
    "title": gettext_lazy("Title"),
    "issue": gettext_lazy("Issue"),
    "environment": gettext_lazy("Environment"),
    "resolution": gettext_lazy("Resolution"),
    "cause": gettext_lazy("Cause"),
    "keywords": gettext_lazy("Keywords"),
}


def _versions(user, article):
    return ArticleVersion.objects.for_user(user, "view").filter(article=article)


@login_required
def version_list(request, number: str):
    user = staff(request)
    article = article_for(user, number)
    versions = list(_versions(user, article).select_related("author").order_by("-revision"))
    return render(request, "knowledge/versions.html", {"article": article, "versions": versions})


@login_required
def version_diff(request, number: str):
    """``?a=&b=`` (revisions; the previous and the current by default) and ``mode`` (words or
    lines)."""
    user = staff(request)
    article = article_for(user, number)
    latest = article.revision
    form = DiffForm(request.GET or None)
    if request.GET and form.is_valid():
        a, b = form.cleaned_data["a"], form.cleaned_data["b"]
        mode = form.cleaned_data.get("mode") or "words"
    else:
        a, b, mode = max(latest - 1, 1), latest, "words"
        form = DiffForm(initial={"a": a, "b": b, "mode": mode})
    rows = {
        v.revision: v
        for v in _versions(user, article).filter(revision__in={a, b}).select_related("author")
    }
    if a not in rows or b not in rows:
        raise Http404
    old, new = rows[a], rows[b]
    fields = diff.compare(old, new, mode)
    for f in fields:
        f.label = LABELS.get(f.name, f.name)
    context = {
        "article": article,
        "form": form,
        "old": old,
        "new": new,
        "mode": mode,
        "fields": fields,
        "changed": any(f.changed for f in fields),
        "revisions": list(
            _versions(user, article).order_by("-revision").values_list("revision", flat=True)
        ),
    }
    return render(request, "knowledge/diff.html", context)
