"""The satisfaction demo: the surveys of the demo's past, sent and answered through the
operations on the simulated clock, so the results page, the KPIs and the follow-ups have a
history. Runs after the incidents and requests steps (their tickets were resolved in the past):
the offering job is replayed once a day over that past, and about two thirds of the surveys
are answered one hour to three days after they were sent, with scores mostly 4 and 5. The
surveys of the last days stay open. Idempotent: nothing is done when a survey exists."""

from __future__ import annotations

import datetime as dt
import heapq
import random

from steward.core import clock
from steward.incidents.models import Incident
from steward.satisfaction import operations as ops
from steward.satisfaction import tokens
from steward.satisfaction.models import Survey

SEED = 20
#: How likely each score is (1 to 5).
WEIGHTS = (0.05, 0.08, 0.12, 0.35, 0.40)
#: The share of the surveys answered.
ANSWERED = 0.65
COMMENTS = {
    1: ["Nobody told me what was going on for days.", "I had to call three times."],
    2: ["It was fixed, but it took far too long.", "The first fix did not work."],
    3: ["OK in the end.", ""],
    4: ["Good, thanks.", "", "Quick once it was picked up."],
    5: ["Fixed in minutes, thank you!", "Very friendly and clear.", "", "Great service."],
}


def _replay(until: dt.datetime) -> tuple[int, int]:
    rng = random.Random(SEED)  # noqa: S311 - demo data, not secrets
    first = Incident.objects.order_by("created_at").values_list("created_at", flat=True)[:1]
    start = (first[0] if first else until - dt.timedelta(days=60)).replace(
        hour=18, minute=0, second=0, microsecond=0
    )
    pending: list[tuple[dt.datetime, int]] = []
    sent = answered = 0
    day = start
    while day <= until:
        while pending and pending[0][0] <= day:
            at, pk = heapq.heappop(pending)
            answered += _answer(rng, at, pk)
        clock.set(day)
        before = set(Survey.objects.values_list("pk", flat=True))
        sent += ops.offer_surveys(day)
        for pk in sorted(set(Survey.objects.values_list("pk", flat=True)) - before):
            if rng.random() < ANSWERED:
                later = day + dt.timedelta(hours=rng.randint(1, 72), minutes=rng.randint(0, 59))
                if later < until:
                    heapq.heappush(pending, (later, pk))
        day += dt.timedelta(days=1)
    while pending:
        at, pk = heapq.heappop(pending)
        answered += _answer(rng, at, pk)
    return sent, answered


def _answer(rng: random.Random, at: dt.datetime, pk: int) -> int:
    survey = Survey.objects.filter(pk=pk).select_related("respondent").first()
    if survey is None or survey.answered_at is not None:
        return 0
    clock.set(at)
    score = rng.choices(range(1, 6), weights=WEIGHTS)[0]
    ops.answer(
        survey.respondent, tokens.token_of(survey), score=score, comment=rng.choice(COMMENTS[score])
    )
    return 1


def load(stdout, quiet: bool = False) -> None:
    if Survey.objects.exists() or not Incident.objects.filter(resolved_at__isnull=False).exists():
        return
    until = clock.real_now()
    if clock.is_simulated():
        sent, answered = _replay(until)
        clock.set(until)
    else:
        start = Incident.objects.order_by("created_at").values_list("created_at", flat=True)[0]
        with clock.simulated(min(start, until - dt.timedelta(days=1))):
            sent, answered = _replay(until)
    if not quiet:
        stdout.write(f"satisfaction: {sent} surveys sent, {answered} answered\n")
