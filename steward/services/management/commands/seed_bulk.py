"""Seed large numbers of organizations, users, groups and services quickly (for benchmarks).

python manage.py seed_bulk --orgs 100 --users 100000 --groups 1000 --services 10000
"""

from __future__ import annotations

import random
import time

from django.core.management.base import BaseCommand

from steward.people import operations as people_ops
from steward.people.models import Organization, SupportGroup, User
from steward.services import operations as service_ops
from steward.services.choices import Lifecycle
from steward.services.models import Service

BATCH = 10_000


class Command(BaseCommand):
    help = "Bulk-create organizations, users, support groups and services with a run tag."

    def add_arguments(self, parser):
        parser.add_argument("--orgs", type=int, default=10)
        parser.add_argument("--users", type=int, default=1000)
        parser.add_argument("--groups", type=int, default=50)
        parser.add_argument("--services", type=int, default=200)
        parser.add_argument("--members-per-group", type=int, default=8)
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, orgs, users, groups, services, members_per_group, seed, **options):
        rng = random.Random(seed)  # noqa: S311 - repeatable test data, not secrets
        tag = f"b{int(time.time())}"
        started = time.perf_counter()

        org_rows = [{"name": f"Org {tag}-{i}", "code": f"{tag}-{i}"} for i in range(orgs)]
        org_objs = people_ops.bulk_create_organizations(None, org_rows)
        self._report("organizations", len(org_objs), started)

        user_objs: list[User] = []
        for start in range(0, users, BATCH):
            rows = [
                {
                    "username": f"{tag}u{i}",
                    "first_name": "Bench",
                    "last_name": f"User {i}",
                    "email": f"{tag}u{i}@bench.example.org",
                    "organization": rng.choice(org_objs) if org_objs else None,
                }
                for i in range(start, min(users, start + BATCH))
            ]
            user_objs += people_ops.bulk_create_users(None, rows)
        self._report("users", len(user_objs), started)

        group_rows, members = [], {}
        for i in range(groups):
            name = f"Group {tag}-{i}"
            chosen = rng.sample(user_objs, min(members_per_group, len(user_objs)))
            group_rows.append({"name": name, "manager": chosen[0] if chosen else None})
            members[name] = chosen
        group_objs = people_ops.bulk_create_groups(None, group_rows, members)
        self._report("groups", len(group_objs), started)

        service_rows, customers = [], {}
        for i in range(services):
            name = f"Service {tag}-{i}"
            service_rows.append(
                {
                    "name": name,
                    "owner": rng.choice(user_objs),
                    "criticality": rng.randint(1, 4),
                    "status": rng.choice(
                        [Lifecycle.LIVE] * 8 + [Lifecycle.PIPELINE, Lifecycle.RETIRED]
                    ),
                }
            )
            customers[name] = rng.sample(org_objs, min(2, len(org_objs)))
        for start in range(0, len(service_rows), BATCH):
            chunk = service_rows[start : start + BATCH]
            service_ops.bulk_create_services(None, chunk, customers)
        self._report("services", len(service_rows), started)
        totals = (
            Organization.objects.count(),
            User.objects.count(),
            SupportGroup.objects.count(),
            Service.objects.count(),
        )
        self.stdout.write(
            "Totals now: {:,} organizations, {:,} users, {:,} groups, {:,} services.".format(
                *totals
            )
        )

    def _report(self, what: str, n: int, started: float) -> None:
        elapsed = time.perf_counter() - started
        self.stdout.write(f"  {n:>9,} {what:<14} ({elapsed:6.1f} s elapsed)")
