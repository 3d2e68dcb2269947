"""Impact analysis through the CI graph: chains, diamonds, cycles, every relationship type."""

from __future__ import annotations

import pytest

from steward.services import impact
from steward.services import operations as ops
from steward.services.models import CIRelationship

pytestmark = pytest.mark.django_db


@pytest.fixture
def graph(world):
    """graph(edges, links) builds CIs named in ``edges`` [(source, type, target)] and links
    services {service name: [ci names]}; returns {name: CI}."""
    server = ops.create_ci_class(None, name="Server")
    services = world["services"]
    by_name = {s.name: s for s in services.values()}

    def build(edges, links=None, extra=()):
        names = dict.fromkeys([*[e[0] for e in edges], *[e[2] for e in edges], *extra])
        cis = {n: ops.create_ci(None, name=n, ci_class=server) for n in names}
        for source, type_, target in edges:
            ops.create_relationship(None, source=cis[source], target=cis[target], type=type_)
        for service, ci_names in (links or {}).items():
            for n in ci_names:
                ops.link_service_ci(None, service=by_name[service], ci=cis[n])
        return cis

    return build


def by_service(result):
    return {row["service"]["name"]: row for row in result["services"]}


def names(row):
    return [step["ci"]["name"] for step in row["path"]]


def test_a_chain_ten_deep_reaches_the_service_with_the_whole_path(graph):
    edges = [(f"c{i + 1}", "depends_on", f"c{i}") for i in range(10)]
    cis = graph(edges, {"Online Banking": ["c10"]})
    result = impact.analyse(cis["c0"])
    row = by_service(result)["Online Banking"]
    assert row["depth"] == 10
    assert names(row) == [f"c{i}" for i in range(11)]
    assert [s["relationship"] for s in row["path"]] == [None] + ["depends_on"] * 10
    assert row["explanation"][0] == "c1 depends on c0"
    assert row["explanation"][-1] == "Online Banking is delivered by c10"
    assert result["affected_ci_count"] == 10
    assert row["owner"]["username"] == "owner"
    assert [c["name"] for c in row["customers"]] == ["Retail"]
    assert impact.analyse(cis["c10"])["affected_ci_count"] == 0


def test_a_diamond_gives_each_service_once_with_the_shortest_stable_path(graph):
    cis = graph(
        [
            ("left", "depends_on", "db"),
            ("right", "depends_on", "db"),
            ("top", "depends_on", "left"),
            ("top", "depends_on", "right"),
            ("far", "depends_on", "top"),
            ("far", "depends_on", "db"),
        ],
        {"Online Banking": ["top"], "Treasury": ["far", "right"]},
    )
    result = impact.analyse(cis["db"])
    rows = by_service(result)
    assert set(rows) == {"Online Banking", "Treasury"} and result["count"] == 2
    assert names(rows["Online Banking"]) == ["db", "left", "top"]
    assert names(rows["Treasury"]) in (["db", "far"], ["db", "right"])
    assert rows["Treasury"]["depth"] == 1
    assert result["affected_ci_count"] == 4
    assert impact.analyse(cis["db"]) == result  # stable


def test_cycles_terminate_and_still_explain(graph):
    cis = graph(
        [
            ("a", "depends_on", "b"),
            ("b", "depends_on", "c"),
            ("c", "depends_on", "a"),
            ("c", "depends_on", "base"),
            ("x", "connected_to", "y"),
            ("y", "connected_to", "x"),
            ("y", "depends_on", "a"),
        ],
        {"Online Banking": ["a"], "Video": ["x"]},
    )
    rows = by_service(impact.analyse(cis["base"]))
    assert names(rows["Online Banking"]) == ["base", "c", "b", "a"]
    assert names(rows["Video"]) == ["base", "c", "b", "a", "y", "x"]
    rows = by_service(impact.analyse(cis["a"]))
    assert rows["Online Banking"]["depth"] == 0
    assert rows["Video"]["depth"] == 2


def test_relationship_types_carry_impact_in_their_own_direction(graph):
    cis = graph(
        [
            ("vm", "runs_on", "host"),
            ("disk", "part_of", "array"),
            ("host", "depends_on", "array"),
            ("switch", "connected_to", "host"),
        ],
        {"Online Banking": ["vm"], "Treasury": ["switch"], "Video": ["disk"]},
    )
    # a failing disk takes its array down, hence the host, the VM and the connected switch
    rows = by_service(impact.analyse(cis["disk"]))
    assert set(rows) == {"Online Banking", "Treasury", "Video"}
    assert names(rows["Online Banking"]) == ["disk", "array", "host", "vm"]
    assert rows["Online Banking"]["explanation"][:3] == [
        "disk part of array",
        "host depends on array",
        "vm runs on host",
    ]
    # a failing array does not break the disk inside it; a VM does not break its host
    assert set(by_service(impact.analyse(cis["array"]))) == {"Online Banking", "Treasury"}
    assert set(by_service(impact.analyse(cis["vm"]))) == {"Online Banking"}
    # connected_to works both ways
    assert set(by_service(impact.analyse(cis["switch"]))) == {"Online Banking", "Treasury"}


def test_services_come_most_critical_first(graph):
    cis = graph([("app", "depends_on", "db")], {"Treasury": ["app"], "Online Banking": ["app"]})
    result = impact.analyse(cis["db"])
    assert [r["service"]["name"] for r in result["services"]] == ["Online Banking", "Treasury"]


def test_impact_runs_in_a_constant_number_of_queries(graph, django_assert_max_num_queries):
    edges = [(f"n{i + 1}", "depends_on", f"n{i}") for i in range(30)]
    cis = graph(edges, {"Online Banking": ["n30"], "Treasury": ["n10"], "Video": ["n20"]})
    assert CIRelationship.objects.count() == 30
    with django_assert_max_num_queries(4):
        result = impact.analyse(cis["n0"])
    assert result["count"] == 3


def test_choosing_a_ci_proposes_its_service(graph):
    cis = graph(
        [("app", "depends_on", "db"), ("web", "depends_on", "app")],
        {"Treasury": ["app"], "Online Banking": ["web"]},
        extra=["lonely"],
    )
    assert impact.propose_service(cis["app"]).name == "Treasury"  # delivered directly
    assert impact.propose_service(cis["db"]).name == "Treasury"  # nearest affected
    assert impact.propose_service(cis["web"]).name == "Online Banking"
    assert impact.propose_service(cis["lonely"]) is None
