"""Knowledge suggestions while typing, at scale: their p95 beside the raw full-text query, the
semantic variant's p95, and both variants' hit rate (the right article in the top 5) on the
labelled set ``benchmarks/data/knowledge_labelled.json`` (308 incident texts in four wordings
of 77 English articles: a paraphrase in the caller's words, the issue with typos, Dutch,
German — the cases where full text alone misses).

Paths timed (each typed text cut at a word being typed, like a keystroke of the debounced
form; times in ms):

- **raw FTS**: ``suggest.ranked_article_ids`` alone, the one ranked SELECT of the first 20
  live articles matching any word (PostgreSQL ``ts_rank_cd`` over the weighted tsvector, SQLite
  FTS5 ``bm25``) — the floor;
- **suggest (agent)**: ``suggest.suggest_articles`` for an agent (ranking, audience check,
  the articles and their snippets);
- **suggest (requester)**: the same for a requester (Validated, public or their organisation's);
- **similar incidents**: ``suggest.similar_incidents`` (open or opened in the last 30 days);
- **panel**: the whole fragment beside the incident form (``views.suggest.suggestions``:
  articles, similar incidents, known errors, rendered);
- **semantic suggest**: ``suggest_articles`` with ``STEWARD_KNOWLEDGE_SEMANTIC`` on (the typed
  text's vector with the numpy MiniLM, the product with the stored article vectors, fused with
  the full-text ranking);

    python benchmarks/knowledge_suggest.py --articles 100000 --incidents 100000      # SQLite
    python benchmarks/knowledge_suggest.py --articles 100000 --incidents 1000000 \\
        --database postgresql://postgres@127.0.0.1:5432/steward_kbbench             # PostgreSQL

The data: ``incident_history.py``'s load (N incidents over 90 days), 1 in 10 of them given a
realistic title and description (set-based, from the articles' vocabulary); then the 77
labelled articles and filler articles up to ``--articles`` (Validated internal, 1 in 10
public, 1 in 20 WIP, 1 in 50 archived), written with one multi-row INSERT per batch as an
importer would (the database's triggers keep the search documents). Fillers are built from
30 subjects x 24 problems x 5 contexts with 20 resolutions: they share the labelled
articles' vocabulary (printer, VPN, Outlook, password...), so they compete. Their vectors are
computed once per distinct text (3,677) and kept in /tmp/steward-kbbench (the load is
kept too: a later run measures at once; ``--reload`` loads again).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.support import load_average, quantiles, setup_environment  # noqa: E402

SQLITE_DIR = Path(tempfile.gettempdir()) / "steward-kbbench"
LABELLED = ROOT / "benchmarks" / "data" / "knowledge_labelled.json"

SUBJECTS = (
    "printer", "VPN client", "Outlook", "Teams", "laptop", "wifi", "Excel", "monitor",
    "badge reader", "desk phone", "SAP", "CRM", "OneDrive", "SharePoint site", "browser",
    "keyboard", "mouse", "scanner", "headset", "calendar", "mailbox", "password reset",
    "account", "certificate", "disk", "network drive", "docking station", "webcam",
    "Bluetooth", "Windows update",
)  # fmt: skip
PROBLEMS = (
    "does not start", "is very slow", "shows an error", "crashes", "freezes",
    "cannot connect", "asks for credentials", "shows a blank screen", "is missing",
    "does not synchronise", "loses the connection", "is not detected", "prints nothing",
    "rejects the login", "runs out of space", "shows the wrong language", "has no sound",
    "is locked", "times out", "cannot be installed", "shows old data", "blocks the file",
    "sends duplicates", "needs a licence",
)  # fmt: skip
CONTEXTS = (
    "after the update", "on the third floor", "for new employees", "at the branch office",
    "when working from home",
)  # fmt: skip
RESOLUTIONS = (
    "Restart the device and try again.", "Reinstall the client from Software Center.",
    "Clear the cache and sign in again.", "Update the driver to the latest version.",
    "Ask the application team to reset the profile.", "Check the cable and the switch port.",
    "Renew the certificate on the device.", "Remove the stored credentials and sign in again.",
    "Request the access through the service catalogue.", "Free disk space with Disk Cleanup.",
    "Replace the batteries.", "Set the right default in the settings.",
    "Escalate to the second line with the error message.", "Roll back the last update.",
    "Move the files to the network share.", "Reset the device to factory settings.",
    "Check the proxy settings.", "Run the troubleshooter.", "Reboot the server during the night.",
    "Contact the vendor support line.",
)  # fmt: skip
INCIDENT_TEXTS = (
    "printer not printing", "vpn keeps disconnecting", "outlook password prompt",
    "teams no sound", "laptop black screen", "wifi no internet", "excel crashes",
    "second screen black", "account locked", "mailbox full", "onedrive not syncing",
    "cannot open sharepoint", "slow computer", "badge does not open door", "sap login fails",
    "certificate error browser", "disk full", "network drive missing", "webcam black",
    "bluetooth headset", "windows update stuck", "crm slow", "scanner email", "mouse not moving",
)  # fmt: skip


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--articles", type=int, default=100_000)
    p.add_argument("--incidents", type=int, default=100_000)
    p.add_argument("--database", default="", help="PostgreSQL URL (default: a SQLite file)")
    p.add_argument("--runs", type=int, default=200, help="typed texts timed per path")
    p.add_argument("--reload", action="store_true", help="drop the database and load again")
    p.add_argument("--no-semantic", action="store_true", help="full text only")
    p.add_argument("--no-hit-rate", action="store_true", help="time the paths only")
    return p.parse_args()


def raw(sql: str, params=()) -> list[tuple]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(sql, list(params))
        return cursor.fetchall() if cursor.description else []


# --- the load -------------------------------------------------------------------------------


def filler(k: int) -> dict:
    """The k-th filler article (deterministic)."""
    s = SUBJECTS[k % len(SUBJECTS)]
    p = PROBLEMS[(k // len(SUBJECTS)) % len(PROBLEMS)]
    c = CONTEXTS[(k // (len(SUBJECTS) * len(PROBLEMS))) % len(CONTEXTS)]
    r = RESOLUTIONS[(k * 7) % len(RESOLUTIONS)]
    return {
        "title": f"{s} {p} {c}",
        "issue": f"The {s} {p} {c}.",
        "resolution": r,
        "keywords": s.lower(),
        "environment": c,
        "cause": "",
    }


def distinct_fillers() -> int:
    return len(SUBJECTS) * len(PROBLEMS) * len(CONTEXTS)


def load_incident_texts(n: int, log) -> None:
    """1 in 10 incidents get a realistic title (set-based, from ``INCIDENT_TEXTS``)."""
    from django.db import connection

    t0 = time.perf_counter()
    texts = INCIDENT_TEXTS
    case = " ".join(f"WHEN {i} THEN '{t}'" for i, t in enumerate(texts))
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE incidents_incident SET title = CASE id % {len(texts)} {case} END "
            f"|| ' ' || id, description = 'Reported by the caller: ' || CASE (id / 10) "
            f"% {len(texts)} {case} END WHERE id % 10 = 0"
        )
    log(f"  incident texts ({time.perf_counter() - t0:.1f} s)")


def load_articles(n: int, labelled: list[dict], log) -> None:
    from django.db import connection, transaction
    from django.utils import timezone

    from steward.core.numbering import next_values
    from steward.people.models import User

    t0 = time.perf_counter()
    owner = User.objects.get(username="agent0").pk
    numbers = next_values("KB", n)
    now = timezone.now()
    columns = (
        "version, created_at, updated_at, number, title, issue, environment, resolution, cause, "
        "keywords, language, confidence, audience, revision, validated_at, published_at, "
        "owner_id, created_by_id"
    )
    marks = "(" + ", ".join(["%s"] * 18) + ")"
    rows = []
    for k in range(n):
        if k < len(labelled):
            a = labelled[k]
            fields = {**a, "environment": "", "cause": ""}
            confidence, audience = "validated", "internal"
        else:
            fields = filler(k - len(labelled))
            confidence = "archived" if k % 50 == 1 else "wip" if k % 20 == 3 else "validated"
            audience = "public" if confidence == "validated" and k % 10 == 7 else "internal"
        validated = now if confidence in ("validated", "archived") else None
        rows.append(
            (1, now, now, f"KB{numbers[k]:07d}", fields["title"], fields["issue"],
             fields["environment"], fields["resolution"], fields["cause"], fields["keywords"],
             "en", confidence, audience, 1, validated,
             now if audience == "public" else None, owner, owner)
        )  # fmt: skip
    with transaction.atomic(), connection.cursor() as cursor:
        for start in range(0, n, 1000):
            chunk = rows[start : start + 1000]
            cursor.execute(
                f"INSERT INTO knowledge_article ({columns}) VALUES "
                + ", ".join([marks] * len(chunk)),
                [value for row in chunk for value in row],
            )
    if connection.vendor == "postgresql":
        raw("ANALYZE knowledge_article")
    log(f"  {n:,} articles ({time.perf_counter() - t0:.1f} s)")


def load_embeddings(labelled: list[dict], log) -> None:
    """Vectors for every article: the labelled ones and each distinct filler text once (kept in
    a .npy file between runs)."""
    import numpy as np
    from django.db import connection, transaction
    from django.utils import timezone

    from steward.knowledge import semantic
    from steward.knowledge.models import Article

    t0 = time.perf_counter()
    cache = SQLITE_DIR / f"vectors-{len(labelled)}-{distinct_fillers()}.npy"
    texts = [semantic.article_text(Article(**{**a, "environment": "", "cause": ""}))
             for a in ({k: v for k, v in a.items() if k not in ("key", "language")}
                       for a in labelled)]  # fmt: skip
    texts += [semantic.article_text(Article(**filler(k))) for k in range(distinct_fillers())]
    if cache.exists():
        vectors = np.load(cache)
    else:
        vectors = np.zeros((len(texts), semantic.DIMENSIONS), dtype=np.float32)
        for start in range(0, len(texts), 500):
            vectors[start : start + 500] = semantic.encode(texts[start : start + 500])
            log(f"    {start + 500:,}/{len(texts):,} vectors ({time.perf_counter() - t0:.0f} s)")
        np.save(cache, vectors)
    ids = [row[0] for row in raw("SELECT id FROM knowledge_article ORDER BY id")]
    now = timezone.now()
    hashes = [semantic.text_hash(t) for t in texts]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM knowledge_articleembedding")
        for start in range(0, len(ids), 1000):
            chunk = []
            for k in range(start, min(start + 1000, len(ids))):
                v = (
                    k
                    if k < len(labelled)
                    else len(labelled) + (k - len(labelled)) % distinct_fillers()
                )
                chunk.append((ids[k], semantic.MODEL_NAME, hashes[v],
                              semantic.to_bytes(vectors[v]), now))  # fmt: skip
            cursor.executemany(
                "INSERT INTO knowledge_articleembedding (article_id, model, text_hash, vector, "
                "computed_at) VALUES (%s, %s, %s, %s, %s)",
                chunk,
            )
    log(f"  vectors of {len(ids):,} articles ({time.perf_counter() - t0:.1f} s)")


# --- measuring ------------------------------------------------------------------------------


def typed(text: str, n: int) -> str:
    """What has been typed at the n-th keystroke sample: the text cut inside a word (at least
    two words in), as the debounced form sends it."""
    words = text.split()
    cut = 2 + n % max(1, len(words) - 1)
    head = words[:cut]
    if len(head[-1]) > 4 and n % 3 == 0:
        head[-1] = head[-1][: len(head[-1]) - 2]  # a word being typed
    return " ".join(head)


def timed(fn, runs: int) -> list[float]:
    fn(0)  # warm-up (and the first load of the vectors)
    times = []
    for n in range(runs):
        t0 = time.perf_counter()
        fn(n)
        times.append((time.perf_counter() - t0) * 1000)
    return times


def hit_rate(user, cases: list[dict], keys: dict[str, int]) -> dict[str, tuple[int, int]]:
    from steward.knowledge import suggest

    result: dict[str, list[int]] = {}
    for case in cases:
        found = [s.article.pk for s in suggest.suggest_articles(user, case["text"], limit=5)]
        hit = keys[case["article"]] in found
        for kind in (case["kind"], "all"):
            got = result.setdefault(kind, [0, 0])
            got[0] += hit
            got[1] += 1
    return {k: (v[0], v[1]) for k, v in result.items()}


def main() -> None:
    args = parse_args()
    name = f"kb-{args.articles}-{args.incidents}.sqlite3"
    setup_environment(args.database, SQLITE_DIR / name, args.reload)
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import RequestFactory

    from benchmarks import incident_history
    from steward.knowledge import semantic, suggest
    from steward.knowledge.views import suggest as suggest_view
    from steward.people.models import User

    log = lambda m: print(m, flush=True)  # noqa: E731
    vendor = "PostgreSQL" if connection.vendor == "postgresql" else "SQLite"
    log(
        f"Knowledge suggestions: {args.articles:,} articles, {args.incidents:,} incidents "
        f"on {vendor}"
    )
    call_command("migrate", verbosity=0)
    labelled_doc = json.loads(LABELLED.read_text(encoding="utf-8"))
    labelled, cases = labelled_doc["articles"], labelled_doc["cases"]
    t_all = time.perf_counter()
    if not incident_history.loaded(args.incidents):
        if raw("SELECT COUNT(*) FROM incidents_incident")[0][0]:
            sys.exit("the database holds another load: run with --reload")
        log(f"loading incidents (load average {load_average()})")
        incident_history.load(args.incidents, int(time.time()), log=log)
        load_incident_texts(args.incidents, log)
    if raw("SELECT COUNT(*) FROM knowledge_article")[0][0] != args.articles:
        raw("DELETE FROM knowledge_articleembedding")
        raw("DELETE FROM knowledge_article")
        load_articles(args.articles, labelled, log)
    use_semantic = semantic.available() and not args.no_semantic
    if (
        use_semantic
        and raw("SELECT COUNT(*) FROM knowledge_articleembedding")[0][0] != args.articles
    ):
        load_embeddings(labelled, log)
    log(f"data ready ({time.perf_counter() - t_all:.1f} s)")

    first_ids = raw("SELECT id FROM knowledge_article ORDER BY id LIMIT %s", [len(labelled)])
    keys = {a["key"]: row[0] for a, row in zip(labelled, first_ids, strict=True)}
    agent = User.objects.get(username="agent0")
    requester = User.objects.filter(username="caller1").first()
    texts = [c["text"] for c in cases]
    factory = RequestFactory()

    def panel(n):
        request = factory.get("/knowledge/suggest/", {"title": text(n), "service": ""})
        request.user = agent
        request.htmx = True
        return suggest_view.suggestions(request).content

    def text(n):
        return typed(texts[n % len(texts)], n)

    paths = [
        ("raw FTS (floor)", lambda n: suggest.ranked_article_ids(
            suggest.query_terms(text(n)), limit=20)),
        ("suggest (agent)", lambda n: suggest.suggest_articles(agent, text(n))),
        ("suggest (requester)", lambda n: suggest.suggest_articles(requester, text(n))),
        ("similar incidents", lambda n: suggest.similar_incidents(agent, text(n))),
        ("panel (whole fragment)", panel),
    ]  # fmt: skip
    settings.STEWARD_KNOWLEDGE_SEMANTIC = False
    log(f"\n{args.runs} typed texts per path after 1 warm-up (ms); load average {load_average()}")
    log(f"{'path':28} {'p50':>8} {'p95':>8} | load 1m")
    log("-" * 56)
    floor95 = None
    for label, fn in paths:
        p50, p95 = quantiles(timed(fn, args.runs))
        floor95 = floor95 or p95
        log(f"{label:28} {p50:8.1f} {p95:8.1f} | {os.getloadavg()[0]:6.2f}")
    fts_hits = None if args.no_hit_rate else hit_rate(agent, cases, keys)
    sem_hits = None
    if use_semantic:
        settings.STEWARD_KNOWLEDGE_SEMANTIC = True
        t0 = time.perf_counter()
        suggest._stored_vectors()
        log(f"{'(vectors read once)':28} {(time.perf_counter() - t0) * 1000:8.0f}")
        for label, fn in (
            ("semantic: encode typed text", lambda n: semantic.encode([text(n)])),
            ("semantic suggest (agent)", paths[1][1]),
            ("semantic suggest (requester)", paths[2][1]),
            ("semantic panel", panel),
        ):  # fmt: skip
            p50, p95 = quantiles(timed(fn, args.runs))
            log(f"{label:28} {p50:8.1f} {p95:8.1f} | {os.getloadavg()[0]:6.2f}")
        sem_hits = None if args.no_hit_rate else hit_rate(agent, cases, keys)
        settings.STEWARD_KNOWLEDGE_SEMANTIC = False
    if fts_hits is None:
        log(f"\nload average at the end: {load_average()}")
        return
    log("\nhit rate (the solving article in the top 5), agent, per wording:")
    log(f"{'wording':12} {'full text':>14} {'semantic+FTS':>14}")
    for kind in ("paraphrase", "typo", "nl", "de", "all"):
        h, t = fts_hits[kind]
        sem = f"{sem_hits[kind][0]}/{t} {100 * sem_hits[kind][0] / t:4.0f}%" if sem_hits else "-"
        log(f"{kind:12} {f'{h}/{t} {100 * h / t:4.0f}%':>14} {sem:>14}")
    log(f"\nload average at the end: {load_average()}")


if __name__ == "__main__":
    main()
