"""Demo knowledge, replayed through the operations on the simulated clock after the incidents'
history, so that the knowledge measures have a past to show.

- Licences: the knowledge process owner (Sanne) makes Tess a Contributor everywhere and a
  coach, Anouk a Publisher everywhere, Fleur a Contributor for the workplace services and Bram
  for remote access; everyone else in IT is a Candidate.
- About 25 articles, each captured from the first resolved incident of its kind by whoever
  solved it, completed a day later, and (most of them) validated by a Contributor; later
  incidents of the same kind link the article as reused.
- A few are published: to the public, and to the retail customers only.
- Coaches review Candidates' articles with the checklist; readers flag three articles, two
  flags are fixed (a new version) and one waits; one duplicate is archived.
- Requesters search the portal, read the published articles and rate them.

Idempotent: nothing happens once an article exists."""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict

from steward.core import clock
from steward.incidents.models import Incident
from steward.knowledge import operations as ops
from steward.knowledge import rules
from steward.knowledge.choices import (
    Audience,
    Confidence,
    FlagReason,
    FlagStatus,
    LicenceLevel,
    PortalEventKind,
    QualityCriterion,
    Recommendation,
)
from steward.knowledge.models import Article
from steward.people.models import Organization, User
from steward.services.models import Service

SEED = 19
#: At most this many articles (one per kind of incident).
ARTICLES = 25
#: Later incidents of the same kind that link the article (reuse), at most.
REUSES = 6

#: Words the service desk adds when it completes an article: (environment, cause, keywords).
COMPLETIONS = {
    "Outlook keeps asking for the password": (
        "Outlook 365 on Windows 11 laptops, after a password change",
        "Outlook keeps the old password in the Windows credential manager.",
        "outlook password prompt credentials login mail",
    ),
    "VPN client cannot connect from the hotel": (
        "Remote Access (VPN) client 5.x on hotel and guest networks",
        "Guest networks block UDP 4500; the client does not fall back on its own.",
        "vpn hotel wifi connect tunnel remote",
    ),
    "Printer on the third floor prints blank pages": (
        "Floor printers, model MFP 4000",
        "The toner unit is empty while the counter says otherwise.",
        "printer blank pages toner",
    ),
    "Customer cannot confirm payment with the app": (
        "Mobile banking app on a new or restored phone",
        "The app is bound to the old device.",
        "app payment confirm device binding phone",
    ),
}

#: Articles published (by their title): to the public, or to the retail customers.
PUBLIC = {
    "Outlook keeps asking for the password",
    "VPN client cannot connect from the hotel",
    "Printer on the third floor prints blank pages",
}
RETAIL_ONLY = {"Customer cannot confirm payment with the app", "Login code by SMS arrives late"}
#: Articles that stay drafts (Candidates' work waiting for a coach).
DRAFTS = {"Software install request stuck in the portal", "Campaign mailing list is empty"}

PEOPLE = {
    "owner": "sanne.visser",
    "coach": "tess.mulder",
    "publisher": "anouk.vanleeuwen",
    "workplace": "fleur.vandijk",
    "network": "bram.hendriks",
}
REQUESTERS = [
    "johan.veenstra",
    "marloes.bosman",
    "ahmed.elamrani",
    "yvonne.smits",
    "rick.vandenberg",
]


def _solver(incident, people, fallback):
    """Who captures the article: the person who solved the incident, when in IT."""
    user = people.get(incident.assignee_id)
    return user if user is not None and user.is_it else fallback


class Plan:
    """Steps at given times, run in time order (the clock only moves forward)."""

    def __init__(self):
        self.steps = []

    def at(self, when, step, *args, **kwargs):
        self.steps.append((when, len(self.steps), step, args, kwargs))

    def run(self, until):
        for when, _n, step, args, kwargs in sorted(self.steps, key=lambda s: (s[0], s[1])):
            if when > until:
                continue
            clock.set(when)
            step(*args, **kwargs)


def _replay(now: dt.datetime) -> int:
    rng = random.Random(SEED)  # noqa: S311 - demo data, not secrets
    users = {u.username: u for u in User.objects.filter(is_active=True)}
    by_pk = {u.pk: u for u in users.values()}
    sanne = users[PEOPLE["owner"]]
    tess, anouk = users[PEOPLE["coach"]], users[PEOPLE["publisher"]]
    start = min(
        Incident.objects.order_by("created_at").values_list("created_at", flat=True)[:1],
        default=now - dt.timedelta(days=60),
    )

    # licences, granted by the process owner at the start of the history
    clock.set(start)
    # the process owner grants them (the system does, when the ownership demo did not run)
    granter = sanne if rules.may_grant_licences(sanne) else None
    services = {s.name: s for s in Service.objects.all()}
    ops.grant_licence(granter, user=tess, level=LicenceLevel.CONTRIBUTOR, coach=True)
    ops.grant_licence(granter, user=anouk, level=LicenceLevel.PUBLISHER)
    for name in ("Workplace and Laptops", "Email and Calendar"):
        if name in services:
            ops.grant_licence(
                granter,
                user=users[PEOPLE["workplace"]],
                level=LicenceLevel.CONTRIBUTOR,
                service=services[name],
            )
    if "Remote Access (VPN)" in services:
        ops.grant_licence(
            granter,
            user=users[PEOPLE["network"]],
            level=LicenceLevel.CONTRIBUTOR,
            service=services["Remote Access (VPN)"],
        )

    # the incidents by kind (title), oldest first
    kinds = defaultdict(list)
    for incident in Incident.objects.filter(created_at__lt=now).order_by("created_at", "id"):
        kinds[incident.title].append(incident)
    firsts = sorted(
        (
            (incidents[0], incidents)
            for incidents in kinds.values()
            if any(i.resolved_at for i in incidents)
        ),
        key=lambda pair: pair[0].created_at,
    )[:ARTICLES]

    plan = Plan()
    made = {}
    retail = Organization.objects.filter(code="retail").first()

    def capture(title, incident, author):
        article = ops.capture_from_incident(author, incident)
        made[title] = article

    def complete(title, author):
        article = made[title]
        article.refresh_from_db()
        words = [w for w in title.lower().replace("'", " ").split() if len(w) > 3]
        environment, cause, keywords = COMPLETIONS.get(title, ("", "", " ".join(words[:5])))
        fields = {"environment": environment, "cause": cause, "keywords": keywords}
        fields = {k: v for k, v in fields.items() if v}
        if article.issue in ("Raised in the portal.", "Reported by phone."):
            # the demo incidents carry no description: say the issue as the caller did
            fields["issue"] = f"{title}."
        if not article.resolution:
            fields["resolution"] = "Follow the resolution of the incident it was captured from."
        if fields:
            ops.update_article(
                author, article, version=article.version, summary="Completed", **fields
            )

    def validate(title):
        article = made[title]
        article.refresh_from_db()
        if article.confidence in (Confidence.WIP, Confidence.NOT_VALIDATED):
            ops.set_confidence(tess, article, Confidence.VALIDATED, version=article.version)

    def publish(title, audience):
        article = made[title]
        article.refresh_from_db()
        if article.confidence == Confidence.VALIDATED:
            orgs = [retail] if audience == Audience.CUSTOMERS and retail else []
            if audience == Audience.CUSTOMERS and not orgs:
                return
            ops.set_audience(anouk, article, audience, version=article.version, organizations=orgs)

    def review(title, defects, recommendation):
        article = made[title]
        article.refresh_from_db()
        if article.created_by_id != tess.pk and rules.may_review(tess, article):
            ops.review_article(
                tess,
                article,
                defects=defects,
                comment="Good start; see the checklist." if defects else "Clear and complete.",
                recommendation=recommendation,
            )

    def link(title, incident, actor):
        ops.link_article(actor, incident, made[title])

    criteria = [c.value for c in QualityCriterion]
    for n, (first, incidents) in enumerate(firsts):
        title = first.title
        resolved = first.resolved_at or first.created_at + dt.timedelta(hours=4)
        author = _solver(first, by_pk, sanne)
        at = resolved + dt.timedelta(minutes=20)
        plan.at(at, capture, title, first, author)
        plan.at(at + dt.timedelta(days=1), complete, title, author)
        if n % 3 != 2:  # a coach looks at two in three
            defects = rng.sample(criteria, rng.choice([0, 0, 1, 1, 2]))
            recommendation = (
                Recommendation.CONTRIBUTOR if not defects and n % 4 == 0 else Recommendation.KEEP
            )
            plan.at(at + dt.timedelta(days=2), review, title, defects, recommendation)
        if title not in DRAFTS:
            plan.at(at + dt.timedelta(days=3, hours=2), validate, title)
        if title in PUBLIC:
            plan.at(at + dt.timedelta(days=4), publish, title, Audience.PUBLIC)
        elif title in RETAIL_ONLY:
            plan.at(at + dt.timedelta(days=4), publish, title, Audience.CUSTOMERS)
        # later incidents of the same kind reuse it, once solved
        reusing = [i for i in incidents[1:] if i.resolved_at and i.created_at > at]
        for later in reusing[:REUSES]:
            solver = _solver(later, by_pk, sanne)
            plan.at(later.resolved_at - dt.timedelta(minutes=5), link, title, later, solver)

    _flags(plan, made, users, tess, now)
    _readers(plan, users, rng, now)
    plan.run(now - dt.timedelta(minutes=30))
    return len(made)


def _flags(plan, made, users, tess, now):
    """Three flags: one fixed with a new version, one dismissed, one still open (its owner
    has a gap once it is two weeks old); and a duplicate archived."""
    state = {}

    def published():
        return [a for a in map(_fresh, made.values()) if a.is_external]

    def validated():
        return [
            a
            for a in map(_fresh, made.values())
            if a.confidence == Confidence.VALIDATED and not a.is_external
        ]

    def outdated():
        found = published()
        if found:
            state["fixed"] = ops.flag_article(
                users["johan.veenstra"],
                found[0],
                reason=FlagReason.OUTDATED,
                comment="The screens look different now.",
            )

    def fix():
        flag = state.get("fixed")
        if flag is None:
            return
        article = _fresh(flag.article)
        ops.update_article(
            tess,
            article,
            version=article.version,
            summary="Screens of the new version",
            resolution=article.resolution
            + "\n\nIn version 6 the setting is under Settings, then Accounts.",
        )
        ops.resolve_flag(tess, flag, status=FlagStatus.FIXED, resolution="Steps updated.")

    def unclear():
        found = validated()
        if len(found) > 1:
            state["unclear"] = ops.flag_article(
                users["daan.bakker"],
                found[1],
                reason=FlagReason.UNCLEAR,
                comment="Which cache is meant?",
            )

    def dismiss():
        flag = state.get("unclear")
        if flag is not None:
            ops.resolve_flag(
                tess, flag, status=FlagStatus.DISMISSED, resolution="Explained to Daan."
            )

    def wrong():
        found = validated()[2:] or published()[1:]
        if found:
            ops.flag_article(
                users["emma.jansen"],
                found[0],
                reason=FlagReason.WRONG,
                comment="This did not work for the last two callers.",
            )

    def archive():
        found = validated()
        if len(found) > 4:
            duplicate = found[-1]
            ops.set_confidence(
                tess,
                duplicate,
                Confidence.ARCHIVED,
                version=duplicate.version,
                comment="Covered by a newer article.",
            )

    plan.at(now - dt.timedelta(days=20), outdated)
    plan.at(now - dt.timedelta(days=18), fix)
    plan.at(now - dt.timedelta(days=16), wrong)
    plan.at(now - dt.timedelta(days=12), unclear)
    plan.at(now - dt.timedelta(days=11), dismiss)
    plan.at(now - dt.timedelta(days=3), archive)


def _readers(plan, users, rng, now):
    """Requesters search, read and rate what they may read, over the last four weeks."""
    readers = [users[u] for u in REQUESTERS if u in users]

    def read(reader, pick, rating, at):
        readable = list(Article.objects.for_user(reader, "view").order_by("id"))
        if not readable:
            return
        article = readable[pick % len(readable)]
        words = " ".join(article.title.lower().split()[:3])
        ops.record_portal_event(reader, kind=PortalEventKind.SEARCH, query=words, at=at)
        ops.record_portal_event(
            reader, kind=PortalEventKind.VIEW, article=article, at=at + dt.timedelta(minutes=1)
        )
        if rating is not None:
            ops.rate_article(reader, article, helped=rating)

    for day in range(28, 0, -1):
        for reader in rng.sample(readers, k=min(2, len(readers))):
            at = now - dt.timedelta(days=day, hours=rng.randint(1, 8))
            rating = (rng.random() < 0.75) if rng.random() < 0.6 else None
            plan.at(at, read, reader, rng.randint(0, 1000), rating, at)


def _fresh(article):
    article.refresh_from_db()
    return article


def load(stdout, quiet: bool = False) -> None:
    if Article.objects.exists() or not Incident.objects.exists():
        return
    needed = set(PEOPLE.values()) | {"daan.bakker", "emma.jansen"}
    if needed - set(User.objects.filter(username__in=needed).values_list("username", flat=True)):
        return  # the people step did not run
    until = clock.real_now()
    if clock.is_simulated():
        count = _replay(until)
        clock.set(until)
    else:
        start = Incident.objects.order_by("created_at").values_list("created_at", flat=True)[0]
        with clock.simulated(min(start, until - dt.timedelta(days=1))):
            count = _replay(until)
    if not quiet:
        stdout.write(f"knowledge: {count} demo articles\n")
