"""The service review PDF of a demo service, beside its floor. Target: under 5 s.

The figure is the PDF as the page and the API answer it (``reviews.pdf.response``): the review's
figures computed from the records (``report.build``: every KPI, the availability, the SLAs, the
trend, the top categories and CIs) and the PDF laid out by WeasyPrint with its SVG charts. It
is printed in its two parts, the figures and the rendering, beside the floor: WeasyPrint
rendering a trivial one-page PDF in the same process, the cost of WeasyPrint itself (its fonts,
its CSS engine) that any PDF pays. Each part's p50 and p95 over ``--runs`` timed runs after one
warm-up.

    python benchmarks/review_pdf.py                       # SQLite file with the demo data
    python benchmarks/review_pdf.py --database postgresql://postgres@127.0.0.1:5432/steward_reviewbench

The demo (``manage.py load_demo``: 90 days of incidents) is loaded once into the database and
kept (SQLite: /tmp/steward-reviewbench/demo.sqlite3); ``--reload`` loads it again. The service
is the live demo service with the most incidents last month unless ``--service`` names one.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DATA_DIR = Path(tempfile.gettempdir()) / "steward-reviewbench"
TARGET_SECONDS = 5.0
TRIVIAL = "<!doctype html><html><body><h1>Service review</h1><p>One line.</p></body></html>"


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--database", default="", help="PostgreSQL URL (default: a SQLite file)")
    p.add_argument("--runs", type=int, default=10, help="timed runs (after 1 warm-up)")
    p.add_argument("--service", default="", help="the service's name (default: the busiest)")
    p.add_argument("--reload", action="store_true", help="drop the data and load the demo again")
    return p.parse_args()


def setup_environment(args) -> str:
    DATA_DIR.mkdir(exist_ok=True)
    url = args.database or f"sqlite:///{DATA_DIR / 'demo.sqlite3'}"
    if args.reload and not args.database:
        (DATA_DIR / "demo.sqlite3").unlink(missing_ok=True)
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "steward.settings",
            "DATABASE_URL": url,
            "STEWARD_DATA_DIR": str(DATA_DIR),
            "STEWARD_SECRET_KEY": "benchmark-only-secret-key",
            "STEWARD_DEBUG": "false",
            "STEWARD_ALLOWED_HOSTS": "127.0.0.1,testserver",
            "STEWARD_LOG_LEVEL": "WARNING",
        }
    )
    if url.startswith("postgres"):
        import psycopg

        parsed = urlparse(url)
        name = parsed.path[1:]
        admin = url.replace(parsed.path, "/postgres")
        with psycopg.connect(admin, autocommit=True) as conn:
            exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
            if exists and args.reload:
                conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
                exists = None
            if not exists:
                conn.execute(f'CREATE DATABASE "{name}"')
    return url


def timed(fn, runs: int) -> tuple[list[float], object]:
    result = fn()  # warm-up
    seconds = []
    for _ in range(runs):
        start = time.perf_counter()
        result = fn()
        seconds.append(time.perf_counter() - start)
    return seconds, result


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def line(label: str, seconds: list[float]) -> str:
    return (
        f"{label:<34} p50 {statistics.median(seconds) * 1000:8.1f} ms   "
        f"p95 {p95(seconds) * 1000:8.1f} ms"
    )


def main() -> None:
    args = parse_args()
    url = setup_environment(args)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db.models import Count
    from django.utils import translation

    call_command("migrate", verbosity=0)
    from steward.incidents.models import Incident

    if not Incident.objects.exists():
        print("loading the demo data (once) ...", flush=True)
        call_command("load_demo", verbosity=0)

    from weasyprint import HTML

    from steward.reviews import pdf, periods, report
    from steward.reviews.models import ServiceReview
    from steward.services.models import Service

    first = periods.previous_month(periods.current_month())
    start, end = periods.bounds(first)
    services = Service.objects.filter(status="live").select_related("owner")
    if args.service:
        service = services.get(name=args.service)
    else:
        busiest = (
            Incident.objects.filter(created_at__gte=start, created_at__lt=end, service__in=services)
            .values("service_id")
            .annotate(n=Count("pk"))
            .order_by("-n", "service_id")
            .first()
        )
        service = services.get(pk=busiest["service_id"]) if busiest else services.first()
    record = ServiceReview.objects.filter(service=service, month=first).first()
    incidents = Incident.objects.filter(
        service=service, created_at__gte=start, created_at__lt=end
    ).count()
    translation.activate("en")

    def build():
        return report.build(service, first, record)

    built = build()
    charts = report.chart_data(built)

    def whole():
        return pdf.response(service, first, record).content

    def render_only():
        return pdf.render(built, charts)

    def floor():
        return HTML(string=TRIVIAL).write_pdf()

    whole_s, content = timed(whole, args.runs)
    build_s, _ = timed(build, args.runs)
    render_s, _ = timed(render_only, args.runs)
    floor_s, _ = timed(floor, args.runs)

    vendor = "PostgreSQL" if url.startswith("postgres") else "SQLite"
    print(
        f"service review PDF — {service.name}, {first:%Y-%m} ({incidents} incidents raised), "
        f"{vendor}, {args.runs} runs, {len(content) // 1024} KiB"
    )
    print(line("PDF (figures + rendering)", whole_s))
    print(line("  figures (report.build)", build_s))
    print(line("  rendering (WeasyPrint)", render_s))
    print(line("floor: trivial one-page PDF", floor_s))
    verdict = "within" if p95(whole_s) < TARGET_SECONDS else "OVER"
    print(f"target: p95 under {TARGET_SECONDS:.0f} s — {verdict}")


if __name__ == "__main__":
    main()
