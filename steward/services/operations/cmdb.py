"""Domain operations of the CMDB: the only code that writes CI classes, CIs, relationships and
service-CI links. Each runs in one transaction, checks permission and writes the journal."""

from __future__ import annotations

from collections.abc import Iterable

import jsonschema
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from steward.core import journal
from steward.core.concurrency import save_versioned
from steward.core.errors import PermissionDenied, ValidationError
from steward.core.operations import full_clean, require, require_admin
from steward.people.models import SupportGroup
from steward.services import signals
from steward.services.models import CIClass, CIRelationship, ConfigurationItem, Service, ServiceCI

CLASS_FIELDS = ["name", "description", "attribute_schema"]
CI_FIELDS = [
    "name",
    "ci_class",
    "status",
    "environment",
    "owner_group",
    "description",
    "attributes",
]
VALIDATOR = jsonschema.Draft202012Validator


# --- attribute schemas --------------------------------------------------------------------------


def check_schema(schema) -> None:
    """Refuse a schema that is not a JSON Schema object (422 on ``attribute_schema``)."""
    if not isinstance(schema, dict):
        raise ValidationError.field("attribute_schema", _("must be a JSON Schema object"))
    try:
        VALIDATOR.check_schema(schema)
    except jsonschema.SchemaError as exc:
        where = "/".join(str(p) for p in exc.path)
        raise ValidationError.field(
            "attribute_schema",
            (
                _("not a valid JSON Schema at %(where)s: %(problem)s")
                if where
                else _("not a valid JSON Schema: %(problem)s")
            )
            % {"where": where, "problem": exc.message},
        ) from exc


def attribute_problems(schema: dict, attributes) -> dict[str, list[str]]:
    """``{"attributes.<name>": [problem, ...]}`` for every way ``attributes`` breaks ``schema``."""
    problems: dict[str, list[str]] = {}
    for error in sorted(VALIDATOR(schema).iter_errors(attributes), key=lambda e: list(e.path)):
        path = [str(p) for p in error.absolute_path]
        if error.validator == "required" and isinstance(error.instance, dict):
            missing = [p for p in error.validator_value if p not in error.instance]
            for name in missing:
                problems.setdefault(".".join(["attributes", *path, name]), []).append(_("required"))
            continue
        if error.validator == "additionalProperties" and isinstance(error.instance, dict):
            allowed = set(error.schema.get("properties", {}))
            patterns = error.schema.get("patternProperties", {})
            extra = [p for p in error.instance if p not in allowed and not patterns]
            if extra:
                for name in extra:
                    problems.setdefault(".".join(["attributes", *path, name]), []).append(
                        _("unknown attribute for this class")
                    )
                continue
        problems.setdefault(".".join(["attributes", *path]), []).append(error.message)
    return problems


def _check_attributes(ci_class: CIClass, attributes) -> None:
    if not isinstance(attributes, dict):
        raise ValidationError.field("attributes", _("must be an object"))
    problems = attribute_problems(ci_class.attribute_schema or {}, attributes)
    if problems:
        summary = "; ".join(f"{k}: {', '.join(v)}" for k, v in problems.items())
        raise ValidationError(
            _("Invalid attributes for class %(name)s — %(summary)s")
            % {"name": ci_class.name, "summary": summary},
            problems,
        )


# --- CI classes ---------------------------------------------------------------------------------


@transaction.atomic
def create_ci_class(actor, **fields) -> CIClass:
    require_admin(actor, gettext_lazy("define CI classes"))
    check_schema(fields.get("attribute_schema", {}))
    ci_class = CIClass(**fields)
    full_clean(ci_class)
    ci_class.save()
    journal.record(
        actor,
        ci_class,
        "created",
        {f: [None, v] for f, v in journal.snapshot(ci_class, CLASS_FIELDS).items()},
    )
    return ci_class


@transaction.atomic
def update_ci_class(actor, ci_class: CIClass, *, version: int | None, **changes) -> CIClass:
    """Change a class. A new attribute schema must still accept every CI of the class."""
    require(actor, "change", ci_class)
    before = journal.snapshot(ci_class, CLASS_FIELDS)
    if "attribute_schema" in changes:
        check_schema(changes["attribute_schema"])
        broken = [
            ci.name
            for ci in ci_class.cis.only("name", "attributes").order_by("name").iterator()
            if VALIDATOR(changes["attribute_schema"]).is_valid(ci.attributes) is False
        ]
        if broken:
            names = ", ".join(broken[:5])
            if len(broken) > 5:
                names = _("%(names)s and %(count)s more") % {
                    "names": names,
                    "count": len(broken) - 5,
                }
            raise ValidationError.field(
                "attribute_schema",
                _("%(count)s CIs of this class would break it: %(names)s")
                % {"count": len(broken), "names": names},
            )
    for name, value in changes.items():
        setattr(ci_class, name, value)
    full_clean(ci_class)
    save_versioned(ci_class, version, list(changes))
    journal.record(
        actor, ci_class, "updated", journal.diff(before, journal.snapshot(ci_class, CLASS_FIELDS))
    )
    return ci_class


# --- configuration items ------------------------------------------------------------------------


def _may_assign_group(actor, group: SupportGroup | None) -> None:
    """Non-admins may only create CIs for (or hand them to) a group they manage or belong to."""
    if actor is None or actor.is_admin:
        return
    if group is None or not (
        group.manager_id == actor.pk or group.members.filter(pk=actor.pk).exists()
    ):
        raise PermissionDenied(
            _("You may only give CIs to a group you manage or belong to."),
            {"owner_group": [_("not a group you manage or belong to")]},
        )


def _check_group(group: SupportGroup | None) -> None:
    if group is not None and not group.is_active:
        raise ValidationError.field(
            "owner_group", _("group %(name)s is inactive") % {"name": repr(group.name)}
        )


@transaction.atomic
def create_ci(actor, **fields) -> ConfigurationItem:
    if actor is not None and not actor.is_it:
        raise PermissionDenied(_("Only IT staff may record configuration items."))
    _may_assign_group(actor, fields.get("owner_group"))
    _check_group(fields.get("owner_group"))
    fields.setdefault("attributes", {})
    _check_attributes(fields["ci_class"], fields["attributes"])
    ci = ConfigurationItem(**fields)
    full_clean(ci)
    ci.save()
    journal.record(
        actor, ci, "created", {f: [None, v] for f, v in journal.snapshot(ci, CI_FIELDS).items()}
    )
    return ci


@transaction.atomic
def update_ci(actor, ci: ConfigurationItem, *, version: int | None, **changes) -> ConfigurationItem:
    require(actor, "change", ci)
    if "owner_group" in changes:
        _may_assign_group(actor, changes["owner_group"])
        _check_group(changes["owner_group"])
    before = journal.snapshot(ci, CI_FIELDS)
    for name, value in changes.items():
        setattr(ci, name, value)
    if {"attributes", "ci_class"} & set(changes):
        _check_attributes(ci.ci_class, ci.attributes)
    full_clean(ci)
    save_versioned(ci, version, list(changes))
    journal.record(actor, ci, "updated", journal.diff(before, journal.snapshot(ci, CI_FIELDS)))
    if "ci_class" in changes:
        signals.tell([ci.pk])
    return ci


# --- relationships ------------------------------------------------------------------------------


@transaction.atomic
def create_relationship(
    actor, *, source: ConfigurationItem, target: ConfigurationItem, type: str
) -> CIRelationship:
    """``source <type> target``; whoever may change the source CI may relate it."""
    require(actor, "change", source)
    rel = CIRelationship(source=source, target=target, type=type)
    if source.pk == target.pk:
        raise ValidationError.field("target", _("a CI cannot be related to itself"))
    if CIRelationship.objects.filter(source=source, target=target, type=type).exists():
        raise ValidationError.field(
            "target",
            _("%(source)s already %(type)s %(target)s")
            % {"source": source, "type": rel.get_type_display(), "target": target},
        )
    full_clean(rel)
    rel.save()
    journal.record(actor, source, "relationship_added", {"relationship": [None, str(rel)]})
    signals.tell([source.pk, target.pk])
    return rel


@transaction.atomic
def delete_relationship(actor, rel: CIRelationship) -> None:
    require(actor, "change", rel)
    text = str(rel)
    source = rel.source
    ends = [rel.source_id, rel.target_id]
    rel.delete()
    journal.record(actor, source, "relationship_removed", {"relationship": [text, None]})
    signals.tell(ends)


# --- service ↔ CI -------------------------------------------------------------------------------


@transaction.atomic
def link_service_ci(actor, *, service: Service, ci: ConfigurationItem) -> ServiceCI:
    """Record that ``ci`` delivers ``service`` (administrators and the service owner)."""
    if actor is not None and not (actor.is_admin or service.owner_id == actor.pk):
        raise PermissionDenied(
            _("Only administrators and the service owner link CIs to a service.")
        )
    if ServiceCI.objects.filter(service=service, ci=ci).exists():
        raise ValidationError.field(
            "ci", _("%(ci)s is already linked to %(service)s") % {"ci": ci, "service": service}
        )
    link = ServiceCI.objects.create(service=service, ci=ci)
    journal.record(actor, service, "ci_linked", {"cis": [None, ci.name]})
    signals.tell([ci.pk])
    return link


@transaction.atomic
def unlink_service_ci(actor, link: ServiceCI) -> None:
    require(actor, "change", link)
    service, name, ci_id = link.service, link.ci.name, link.ci_id
    link.delete()
    journal.record(actor, service, "ci_unlinked", {"cis": [name, None]})
    signals.tell([ci_id])


# --- bulk (imports, demo, benchmarks) -----------------------------------------------------------


def bulk_cis(actor, rows: Iterable[ConfigurationItem]) -> list[ConfigurationItem]:
    """Insert many CIs in one statement per batch (benchmarks, importers that validated them)."""
    require_admin(actor, gettext_lazy("bulk-load configuration items"))
    cis = ConfigurationItem.objects.bulk_create(list(rows), batch_size=2000)
    journal.record_many(actor, cis, "created", comment=gettext_noop("bulk load"))
    return cis


def bulk_service_links(actor, rows: Iterable[ServiceCI]) -> list[ServiceCI]:
    require_admin(actor, gettext_lazy("bulk-load service links"))
    links = ServiceCI.objects.bulk_create(list(rows), batch_size=2000)
    journal.record_many(actor, links, "created", comment=gettext_noop("bulk load"))
    signals.tell(link.ci_id for link in links)
    return links


def bulk_relationships(actor, rows: Iterable[CIRelationship]) -> list[CIRelationship]:
    """Insert many relationships in one statement per batch (caller holds the transaction)."""
    require_admin(actor, gettext_lazy("bulk-load CI relationships"))
    rels = CIRelationship.objects.bulk_create(list(rows), batch_size=2000)
    journal.record_many(actor, rels, "created", comment=gettext_noop("bulk load"))
    signals.tell([end for rel in rels for end in (rel.source_id, rel.target_id)])
    return rels
