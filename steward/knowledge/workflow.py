"""The article lifecycle (KCS confidence): the transition table and its guards.

wip ──► not_validated ──► validated ──► archived
 │           ▲   │            │  ▲          │
 │           │   └────────────┘  │          │   (a contributor validates; a flag of 'wrong'
 └───────────┼───────────────────┘          │    may send it back to not validated)
             └──────────────────────────────┘   (an archived article is restored as not validated)

The audience is the other axis of an article's state: internal, customers or public.
Guards:
- an external audience (customers, public) needs the article Validated: leaving Validated
  makes it internal again (the operation does it, journaled);
- customers needs at least one organisation;
- Validated needs the resolution (an article that says nothing solves nothing).

Who may make each move is ``rules.py``'s; the guards here read only the row.
"""

from __future__ import annotations

from django.utils.translation import gettext

from steward.core.errors import ValidationError
from steward.core.workflow import TransitionTable
from steward.knowledge.choices import EXTERNAL_AUDIENCES, Audience, Confidence


def require_resolution(*, article=None, **_) -> None:
    if article is not None and not (article.resolution or "").strip():
        raise ValidationError(
            gettext("An article needs its resolution before it is validated."),
            {"resolution": ["required before the article is validated"]},
        )


ARTICLE = TransitionTable(
    "article",
    {
        Confidence.WIP: {Confidence.NOT_VALIDATED, Confidence.VALIDATED, Confidence.ARCHIVED},
        Confidence.NOT_VALIDATED: {Confidence.VALIDATED, Confidence.ARCHIVED, Confidence.WIP},
        Confidence.VALIDATED: {Confidence.NOT_VALIDATED, Confidence.ARCHIVED},
        Confidence.ARCHIVED: {Confidence.NOT_VALIDATED},
    },
    guards={
        (Confidence.WIP, Confidence.VALIDATED): require_resolution,
        (Confidence.NOT_VALIDATED, Confidence.VALIDATED): require_resolution,
    },
    labels=dict(Confidence.choices),
)


def audience_problems(*, confidence: str, audience: str, organization_count: int) -> dict:
    """What an audience still needs (``{field: [problem]}``; empty: nothing)."""
    problems = {}
    if audience in EXTERNAL_AUDIENCES and confidence != Confidence.VALIDATED:
        problems["audience"] = ["only a validated article can be external"]
    if audience == Audience.CUSTOMERS and organization_count == 0:
        problems["organizations"] = ["name the customers who read it"]
    return problems


def require_audience(*, confidence: str, audience: str, organization_count: int) -> None:
    problems = audience_problems(
        confidence=confidence, audience=audience, organization_count=organization_count
    )
    if problems:
        message = (
            gettext("Only a validated article can be made external.")
            if "audience" in problems
            else gettext("An article for customers names the organisations who read it.")
        )
        raise ValidationError(message, problems)
