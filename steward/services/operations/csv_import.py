"""Import of CIs and CI relationships from CSV: every row is checked first; when any row is wrong
nothing is written and the error names each bad row and column (``rows.<line>.<column>``)."""

from __future__ import annotations

import csv
import io
import json

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from steward.core import journal
from steward.core.errors import ValidationError
from steward.core.operations import require_admin
from steward.people.models import SupportGroup
from steward.services.choices import RelationshipType
from steward.services.models import CIClass, CIRelationship, ConfigurationItem
from steward.services.operations.cmdb import attribute_problems, update_ci

CI_COLUMNS = {"name", "class", "status", "environment", "owner_group", "description"}
REL_COLUMNS = {"source", "type", "target", "source_class", "target_class"}
ATTR_PREFIX = "attr:"
MAX_IMPORT_ROWS = 5000


def _coerce(schema: dict, name: str, text: str):
    """A CSV cell as the type the class schema declares for attribute ``name``."""
    kind = schema.get("properties", {}).get(name, {}).get("type")
    if text == "":
        return None
    try:
        if kind == "integer":
            return int(text)
        if kind == "number":
            return float(text)
        if kind == "boolean" and text.lower() in {"true", "false", "yes", "no", "1", "0"}:
            return text.lower() in {"true", "yes", "1"}
        if kind in {"array", "object"}:
            return json.loads(text)
    except ValueError:
        return text  # the schema check names it
    return text


def _rows(text: str, required: set[str], known: set[str], allow_attrs: bool):
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    try:
        return _read_rows(reader, required, known, allow_attrs)
    except csv.Error as exc:  # a field past the csv module's limit (128 KiB), say
        line = max(reader.line_num, 1)
        raise ValidationError(
            _("Nothing imported: line %(line)s cannot be read as CSV (%(problem)s).")
            % {"line": line, "problem": exc},
            {f"rows.{line}": [_("cannot be read as CSV: %(problem)s") % {"problem": exc}]},
        ) from exc


def _read_rows(reader: csv.DictReader, required: set[str], known: set[str], allow_attrs: bool):
    header = [h.strip() for h in (reader.fieldnames or [])]
    missing = sorted(required - set(header))
    unknown = [
        h for h in header if h not in known and not (allow_attrs and h.startswith(ATTR_PREFIX))
    ]
    problems = {}
    if missing:
        problems["header"] = [_("missing columns: %(names)s") % {"names": ", ".join(missing)}]
    if unknown:
        problems.setdefault("header", []).append(
            _("unknown columns: %(names)s") % {"names": ", ".join(unknown)}
        )
    if problems:
        raise ValidationError(
            _("The CSV header is not right — %(problems)s")
            % {"problems": "; ".join(problems["header"])},
            problems,
        )
    rows = []
    for raw in reader:
        rows.append({(k or "").strip(): (v or "").strip() for k, v in raw.items()})
        if len(rows) > MAX_IMPORT_ROWS:
            raise ValidationError.field(
                "csv", _("more than %(max)s rows: split the file") % {"max": MAX_IMPORT_ROWS}
            )
    return rows


#: what was imported, for the refusal: "3 CI rows have problems"
_ROWS_WITH_PROBLEMS = {
    "CI": gettext_noop(
        "Nothing imported: %(count)s CI rows have problems (row numbers count the header as "
        "row 1) — %(summary)s"
    ),
    "relationship": gettext_noop(
        "Nothing imported: %(count)s relationship rows have problems (row numbers count the "
        "header as row 1) — %(summary)s"
    ),
}


def _raise_rows(problems: dict[str, list[str]], what: str) -> None:
    if problems:
        rows = sorted({int(k.split(".")[1]) for k in problems if k.startswith("rows.")})
        summary = "; ".join(f"{k}: {', '.join(v)}" for k, v in list(problems.items())[:20])
        raise ValidationError(
            _(_ROWS_WITH_PROBLEMS[what]) % {"count": len(rows), "summary": summary},
            problems,
        )


@transaction.atomic
def import_cis(actor, text: str) -> dict:
    """Create or update CIs from CSV (columns name, class, and optionally status, environment,
    owner_group, description, ``attr:<name>``). Every row is checked first; if any row is
    wrong nothing is written and the answer names each bad row and column."""
    require_admin(actor, gettext_lazy("import configuration items"))
    rows = _rows(text, {"name", "class"}, CI_COLUMNS, allow_attrs=True)
    classes = {c.name: c for c in CIClass.objects.all()}
    groups = {g.name: g for g in SupportGroup.objects.all()}
    problems: dict[str, list[str]] = {}
    plans = []
    seen: set[tuple[str, str]] = set()
    for i, row in enumerate(rows, start=2):
        where = f"rows.{i}"
        ci_class = classes.get(row.get("class", ""))
        if ci_class is None:
            problems.setdefault(f"{where}.class", []).append(
                _("unknown CI class %(name)s") % {"name": repr(row.get("class", ""))}
            )
            continue
        if not row.get("name"):
            problems.setdefault(f"{where}.name", []).append(_("required"))
            continue
        if (ci_class.name, row["name"]) in seen:
            problems.setdefault(f"{where}.name", []).append(_("appears twice in the file"))
        seen.add((ci_class.name, row["name"]))
        group = None
        if row.get("owner_group"):
            group = groups.get(row["owner_group"])
            if group is None:
                problems.setdefault(f"{where}.owner_group", []).append(
                    _("unknown group %(name)s") % {"name": repr(row["owner_group"])}
                )
            elif not group.is_active:
                problems.setdefault(f"{where}.owner_group", []).append(
                    _("group %(name)s is inactive") % {"name": repr(group.name)}
                )
        attributes = {
            k.removeprefix(ATTR_PREFIX): _coerce(
                ci_class.attribute_schema, k.removeprefix(ATTR_PREFIX), v
            )
            for k, v in row.items()
            if k.startswith(ATTR_PREFIX) and v != ""
        }
        for field, msgs in attribute_problems(ci_class.attribute_schema or {}, attributes).items():
            problems.setdefault(f"{where}.{field}", []).extend(msgs)
        fields = {
            "name": row["name"],
            "ci_class": ci_class,
            "owner_group": group,
            "attributes": attributes,
            "status": row.get("status") or "active",
            "environment": row.get("environment") or "production",
            "description": row.get("description", ""),
        }
        candidate = ConfigurationItem(**fields)
        try:
            # the field checks (choices, lengths); uniqueness and the table's constraints are
            # the plan's own: (class, name) is looked up below, status and environment are choices
            candidate.full_clean(
                exclude=["ci_class", "owner_group"],
                validate_unique=False,
                validate_constraints=False,
            )
        except DjangoValidationError as exc:
            for k, msgs in exc.message_dict.items():
                if k != "__all__":
                    problems.setdefault(f"{where}.{k}", []).extend(str(m) for m in msgs)
        plans.append(fields)
    _raise_rows(problems, "CI")
    existing = {
        (c.ci_class_id, c.name): c
        for c in ConfigurationItem.objects.filter(name__in=[p["name"] for p in plans])
    }
    new: list[ConfigurationItem] = []
    updated = 0
    for fields in plans:
        current = existing.get((fields["ci_class"].pk, fields["name"]))
        if current is None:
            new.append(ConfigurationItem(**fields))
            continue
        changes = {
            k: v
            for k, v in fields.items()
            if k not in {"name", "ci_class"} and getattr(current, k) != v
        }
        if changes:
            update_ci(actor, current, version=None, **changes)
            updated += 1
    # Every new row was checked above: one INSERT per batch, and one journal entry per CI.
    ConfigurationItem.objects.bulk_create(new, batch_size=2000)
    journal.record_many(actor, new, "created", comment=gettext_noop("imported from CSV"))
    created = len(new)
    return {"created": created, "updated": updated, "unchanged": len(plans) - created - updated}


@transaction.atomic
def import_relationships(actor, text: str) -> dict:
    """Create relationships from CSV (columns source, type, target; ``source_class`` and
    ``target_class`` when a name is used by CIs of several classes). All or nothing."""
    require_admin(actor, gettext_lazy("import CI relationships"))
    rows = _rows(text, {"source", "type", "target"}, REL_COLUMNS, allow_attrs=False)
    names = {r[k] for r in rows for k in ("source", "target") if r.get(k)}
    by_name: dict[str, list[ConfigurationItem]] = {}
    for ci in ConfigurationItem.objects.filter(name__in=names).select_related("ci_class"):
        by_name.setdefault(ci.name, []).append(ci)
    existing = set(
        CIRelationship.objects.filter(source__name__in=names).values_list(
            "source_id", "target_id", "type"
        )
    )
    problems: dict[str, list[str]] = {}
    new: list[CIRelationship] = []
    planned: set[tuple] = set()
    for i, row in enumerate(rows, start=2):
        where = f"rows.{i}"
        ends = {}
        for end in ("source", "target"):
            candidates = by_name.get(row.get(end, ""), [])
            if row.get(f"{end}_class"):
                candidates = [c for c in candidates if c.ci_class.name == row[f"{end}_class"]]
            if not candidates:
                problems.setdefault(f"{where}.{end}", []).append(
                    _("no CI named %(name)s") % {"name": repr(row.get(end, ""))}
                )
            elif len(candidates) > 1:
                problems.setdefault(f"{where}.{end}", []).append(
                    _("%(count)s CIs are named %(name)s: add a %(column)s column")
                    % {"count": len(candidates), "name": repr(row[end]), "column": f"{end}_class"}
                )
            else:
                ends[end] = candidates[0]
        if row.get("type") not in RelationshipType.values:
            problems.setdefault(f"{where}.type", []).append(
                _("must be one of %(values)s") % {"values": ", ".join(RelationshipType.values)}
            )
            continue
        if len(ends) < 2:
            continue
        key = (ends["source"].pk, ends["target"].pk, row["type"])
        if ends["source"].pk == ends["target"].pk:
            problems.setdefault(f"{where}.target", []).append(_("a CI cannot be related to itself"))
        elif key in planned:
            problems.setdefault(f"{where}", []).append(_("appears twice in the file"))
        elif key not in existing:
            planned.add(key)
            new.append(
                CIRelationship(source=ends["source"], target=ends["target"], type=row["type"])
            )
    _raise_rows(problems, "relationship")
    rels = CIRelationship.objects.bulk_create(new, batch_size=2000)
    for rel in rels:
        journal.record(actor, rel.source, "relationship_added", {"relationship": [None, str(rel)]})
    return {"created": len(rels), "updated": 0, "unchanged": len(rows) - len(rels)}
