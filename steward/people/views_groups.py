"""Running support groups from their pages: administrators create and change any group; a
group's manager changes its description and mailbox and adds or removes its members.

Who may change a group is ``SupportGroup.objects.for_user(user, "change")`` (administrators:
every group; an IT person: the groups they manage), what they may change there is
``people.operations.GROUP_MANAGER_FIELDS``. IT staff who may not change a group get 403 on its
edit pages; requesters the 404 of a missing page, as on the group pages themselves.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from steward.core import journal
from steward.core.errors import DomainError, StaleVersion
from steward.core.registry import detail_panels
from steward.people import conflicts
from steward.people import operations as people_ops
from steward.people.admin_forms import (
    GroupCreateForm,
    GroupEditForm,
    MemberForm,
    RemoveMemberForm,
)
from steward.people.choices import Role
from steward.people.forms import add_domain_error
from steward.people.models import SupportGroup, User

PAGE_SIZE = 50
HISTORY_LIMIT = 50


def may_change_group(user, group: SupportGroup) -> bool:
    return SupportGroup.objects.for_user(user, "change").filter(pk=group.pk).exists()


def _group_to_change(request, pk: int) -> SupportGroup:
    """The group, if the user may change it: 404 if they may not even see it, else 403."""
    if not request.user.is_it:
        raise Http404
    group = get_object_or_404(
        SupportGroup.objects.for_user(request.user, "view").select_related("manager"), pk=pk
    )
    if not may_change_group(request.user, group):
        raise DjangoPermissionDenied
    return group


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def group_create(request):
    if not request.user.is_it:
        raise Http404
    if not request.user.is_admin:
        raise DjangoPermissionDenied
    form = GroupCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            group = people_ops.create_group(request.user, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Group “%(name)s” has been created.") % {"name": group})
            return redirect("people:group_detail", group.pk)
    return render(request, "people/group_create.html", {"form": form})


def _edit_initial(group: SupportGroup) -> dict:
    return {
        "name": group.name,
        "description": group.description,
        "email": group.email,
        "manager": group.manager.username if group.manager else "",
        "is_active": group.is_active,
        "version": group.version,
        "seen": conflicts.last_seen(group),
    }


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def group_edit(request, pk: int):
    group = _group_to_change(request, pk)
    admin = request.user.is_admin
    conflict = None
    status = 200
    if request.method != "POST":
        form = GroupEditForm(initial=_edit_initial(group), admin=admin)
    else:
        form = GroupEditForm(request.POST, admin=admin)
        if form.is_valid():
            try:
                people_ops.update_group(
                    request.user, group, version=form.cleaned_data["version"], **form.changes
                )
            except StaleVersion as exc:
                group = _group_to_change(request, pk)
                conflict = conflicts.stale_edit(form, group, exc.current)
                status = 409
            except DomainError as exc:
                group = _group_to_change(request, pk)
                add_domain_error(form, exc)
            else:
                messages.success(request, _("Group “%(name)s” has been saved.") % {"name": group})
                return redirect("people:group_detail", group.pk)
    context = {"group": group, "form": form, "conflict": conflict, "admin": admin}
    return render(request, "people/group_edit.html", context, status=status)


def _member_field(exc: DomainError) -> DomainError:
    """The operation names the field ``members``; on the page the field is ``member``."""
    if "members" in exc.fields:
        return type(exc)(exc.message, {"member": exc.fields["members"]})
    return exc


def group_page(request, group: SupportGroup, *, member_form=None, status: int = 200):
    """The group's page: about, members (with the forms to add and remove them for those who
    may), the panels other practices add (its calendar, its OLA) and its history."""
    members = (
        User.objects.for_user(request.user, "view")
        .filter(support_groups=group)
        .prefetch_related("role_rows")
        .order_by("last_name", "first_name", "username")
    )
    page = Paginator(members, PAGE_SIZE).get_page(request.GET.get("page"))
    for u in page.object_list:
        u.role_labels = [Role(r).label for r in sorted(u.roles)]
    can_change = may_change_group(request.user, group)
    if can_change and member_form is None:
        member_form = MemberForm(initial={"version": group.version})
    context = {
        "group": group,
        "page_obj": page,
        "history": journal.history(group).order_by("-id")[:HISTORY_LIMIT],
        "can_change": can_change,
        "member_form": member_form,
        "panels": detail_panels(group, request.user),
    }
    return render(request, "people/group_detail.html", context, status=status)


def _member_error(request, group: SupportGroup, exc: DomainError) -> None:
    if isinstance(exc, StaleVersion):
        entry = conflicts.changes_since(group, None)
        who = entry[0].actor.display_name if entry and entry[0].actor else _("someone else")
        messages.error(
            request,
            _(
                "%(who)s changed the group while you were looking at it: nothing was changed. "
                "Check the members below and try again."
            )
            % {"who": who},
        )
    else:
        problems = [p for ps in exc.fields.values() for p in ps]
        messages.error(request, "; ".join(problems) if problems else exc.message)


@login_required
@require_POST
def group_members(request, pk: int):
    """Add one member (``member``) or remove one (``remove``), at the version the page showed."""
    group = _group_to_change(request, pk)
    current = list(group.members.all())
    if "remove" in request.POST:
        form = RemoveMemberForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Choose a member to remove."))
            return redirect("people:group_detail", group.pk)
        username = form.cleaned_data["remove"]
        members = [m for m in current if m.username != username]
        done = _("%(name)s has left the group.")
        person = next((m for m in current if m.username == username), None)
    else:
        form = MemberForm(request.POST)
        if not form.is_valid():
            return group_page(request, group, member_form=form, status=422)
        person: User = form.cleaned_data["member"]
        if any(m.pk == person.pk for m in current):
            messages.info(request, _("%(name)s is already a member.") % {"name": person})
            return redirect("people:group_detail", group.pk)
        members = [*current, person]
        done = _("%(name)s has joined the group.")
    try:
        people_ops.update_group(
            request.user, group, version=form.cleaned_data["version"], members=members
        )
    except StaleVersion as exc:
        _member_error(request, group, exc)
    except DomainError as exc:
        if isinstance(form, MemberForm):
            add_domain_error(form, _member_field(exc))
            return group_page(request, _group_to_change(request, pk), member_form=form, status=422)
        _member_error(request, group, exc)
    else:
        if person is not None:
            messages.success(request, done % {"name": person.display_name})
    return redirect("people:group_detail", group.pk)
