"""The actions of the incident page (``POST /incidents/INC…/<action>/``): each reads its form,
runs one operation and answers the sentence the page shows. Writes that change the incident
run against the version the page was read at (``page_writes``); additive ones are saved
whatever happened meanwhile. Errors are ``DomainError`` with a sentence for the person."""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _

from steward.core.errors import DomainError
from steward.incidents import operations as ops
from steward.incidents import queries
from steward.incidents.choices import Status, UpdateKind
from steward.incidents.detail_forms import AssignForm, CancelForm, ParentForm, WatcherForm
from steward.incidents.forms import CommentForm, HandoverForm, HoldForm, RejectForm, ResolveForm
from steward.incidents.models import Incident
from steward.incidents.page_writes import posted_number, posted_version
from steward.people.models import SupportGroup, User

#: Actions that only add to the incident: saved even when it moved on meanwhile.
ADDITIVE = frozenset({"comment", "stakeholder-update", "review", "watch", "unwatch"})


def form_problem(form) -> str:
    """The first error of an invalid form, as the sentence the form's field declares."""
    for errors in form.errors.values():
        if errors:
            return str(errors[0])
    return _("Something in the form is not right: check it and try again.")


def _valid(form):
    if not form.is_valid():
        raise DomainError(form_problem(form))
    return form.cleaned_data


def _take(user, incident, post, version):
    ops.assign(user, incident, user, version=version)
    return _("You have taken %(number)s.")


def _assign(user, incident, post, version):
    members = incident.owning_group.members.filter(is_active=True)
    data = _valid(AssignForm(post, members=members))
    ops.assign(user, incident, data["assignee"], version=version)
    if data["assignee"] is None:
        return _("%(number)s is now unassigned.")
    return _("%(number)s is now assigned to %(name)s."), {"name": data["assignee"].display_name}


def _transition(user, incident, post, version):
    to = post.get("to", "")
    extra = {}
    if to == Status.RESOLVED:
        extra = _valid(ResolveForm(post))
    elif to == Status.ON_HOLD:
        extra = _valid(HoldForm(post))
    elif to == Status.CANCELLED:
        extra = {"comment": _valid(CancelForm(post))["reason"]}
    ops.transition(user, incident, to, version=version, **extra)
    return _("%(number)s is now %(status)s.")


def _comment(user, incident, post, version):
    data = _valid(CommentForm(post))
    before = incident.status
    ops.add_comment(
        user,
        incident,
        body=data["body"],
        visibility=data["visibility"],
        time_spent=data.get("time_spent") or 0,
    )
    incident.refresh_from_db(fields=["status"])
    if before == Status.RESOLVED and incident.status == Status.IN_PROGRESS:
        return _("Your reply has been added and %(number)s is open again: the team is told.")
    if data["visibility"] == "public":
        return _("Your reply has been added.")
    return _("Your note has been added.")


def _handover(user, incident, post, version):
    groups = SupportGroup.objects.filter(is_active=True).exclude(pk=incident.owning_group_id)
    data = _valid(HandoverForm(post, groups=groups))
    with ops.at_version(incident, version):
        ops.hand_over(user, incident, **data)
    return _("The handover is pending until the other group accepts it.")


def _declare(user, incident, post, version):
    manager = User.objects.filter(pk=posted_number(post, "manager") or 0, is_active=True).first()
    if manager is None:
        raise DomainError(_("Choose a major-incident manager."))
    with ops.at_version(incident, version):
        ops.declare_major(user, incident, reason=post.get("reason", ""), manager=manager)
    return _("%(number)s is now a major incident.")


def _stakeholder_update(user, incident, post, version):
    kind = post.get("kind") or UpdateKind.PROGRESS
    ops.post_stakeholder_update(user, incident, body=post.get("body", ""), kind=kind)
    return _("The update has been sent to the stakeholders.")


def _review(user, incident, post, version):
    actions = []
    for line in post.get("actions", "").splitlines():
        if not line.strip():
            continue
        owner_name, _sep, text = line.partition(":")
        owner = User.objects.filter(username=owner_name.strip(), is_active=True).first()
        if owner is None or not text.strip():
            raise DomainError(_("Write each follow-up action as “username: what to do”."))
        actions.append((text.strip(), owner))
    ops.record_review(user, incident, cause=post.get("cause", ""), actions=actions)
    return _("The post-incident review has been recorded.")


def _handover_decision(action):
    def run(user, incident, post, version):
        pending = queries.pending_handover(incident)
        if pending is None:
            raise DomainError(_("There is no pending handover any more: someone decided it."))
        with ops.at_version(incident, version):
            if action == "accept":
                ops.accept_handover(user, pending, take_assignment=post.get("take") == "1")
                return _("You have accepted %(number)s for your group.")
            if action == "reject":
                reason = _valid(RejectForm(post))["reason"]
                ops.reject_handover(user, pending, reason=reason)
                return _("The handover has been rejected; the sender is told why.")
            ops.cancel_handover(user, pending)
            return _("The handover has been withdrawn.")

    return run


def _watch(user, incident, post, version):
    watcher = _valid(WatcherForm(post))["user"] if "user" in post else user
    ops.add_watcher(user, incident, watcher)
    if watcher.pk == user.pk:
        return _("You are watching %(number)s: you are told of every reply and status change.")
    return _("%(name)s is watching %(number)s now."), {"name": watcher.display_name}


def _unwatch(user, incident, post, version):
    watcher = User.objects.filter(pk=posted_number(post, "user") or user.pk).first()
    if watcher is None:
        raise DomainError(_("That person is not watching this incident."))
    ops.remove_watcher(user, incident, watcher)
    if watcher.pk == user.pk:
        return _("You no longer watch %(number)s.")
    return _("%(name)s no longer watches %(number)s."), {"name": watcher.display_name}


def _link_parent(user, incident, post, version):
    number = _valid(ParentForm(post))["parent"].strip().upper()
    parent = queries.incidents_for(user).filter(number=number).first()
    if parent is None:
        raise DomainError(_("There is no incident %(parent)s.") % {"parent": number})
    ops.link_parent(user, incident, parent, version=version)
    return _("%(number)s is now a child of %(parent)s."), {"parent": parent.number}


def _unlink_parent(user, incident, post, version):
    ops.link_parent(user, incident, None, version=version)
    return _("%(number)s no longer has a parent.")


ACTIONS = {
    "take": _take,
    "assign": _assign,
    "transition": _transition,
    "comment": _comment,
    "handover": _handover,
    "declare": _declare,
    "stakeholder-update": _stakeholder_update,
    "review": _review,
    "accept": _handover_decision("accept"),
    "reject": _handover_decision("reject"),
    "cancel": _handover_decision("cancel"),
    "watch": _watch,
    "unwatch": _unwatch,
    "link-parent": _link_parent,
    "unlink-parent": _unlink_parent,
}


def run(request, incident: Incident, action: str) -> str:
    """Run ``action`` and answer the sentence to show, or raise a ``DomainError``. Every form
    carries the version; additive ones do not need it to match."""
    handler = ACTIONS.get(action)
    if handler is None:
        raise Http404
    version = posted_version(request.POST)
    answer = handler(request.user, incident, request.POST, version)
    text, values = answer if isinstance(answer, tuple) else (answer, {})
    incident.refresh_from_db()
    status = incident.get_status_display().lower()
    return text % {"number": incident.number, "status": status, **values}
