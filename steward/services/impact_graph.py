"""The impact view's picture: a failing CI, the services it affects and their customers, laid
out in three columns for a server-rendered SVG (no JavaScript). The page shows the same facts as
a list beside it, so the graph is never the only way to read them."""

from __future__ import annotations

from dataclasses import dataclass, field

#: Geometry of the drawing, in SVG user units.
WIDTH = 900
ROW = 44
BOX_H = 32
TOP = 40
COLUMNS = (2, 312, 622)  # x of the CI, service and customer columns
BOX_W = 276
#: At most this many services and customers are drawn; the list shows every one.
MAX_NODES = 30


@dataclass
class Node:
    key: str
    label: str
    note: str
    x: int
    y: int
    kind: str  # ci | service | customer
    tone: str = ""

    @property
    def text_x(self) -> int:
        return self.x + 12

    @property
    def mid_y(self) -> int:
        return self.y + BOX_H // 2


@dataclass
class Edge:
    x1: int
    y1: int
    x2: int
    y2: int

    @property
    def path(self) -> str:
        bend = (self.x2 - self.x1) // 2
        return (
            f"M{self.x1},{self.y1} C{self.x1 + bend},{self.y1} "
            f"{self.x2 - bend},{self.y2} {self.x2},{self.y2}"
        )


@dataclass
class Graph:
    width: int
    height: int
    nodes: list[Node] = field(default_factory=list)
    edges: list[Edge] = field(default_factory=list)
    hidden_services: int = 0
    hidden_customers: int = 0


def _short(text: str, limit: int = 34) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def layout(impact: dict, ci_label: str) -> Graph:
    """Place the nodes of ``impact`` (``impact.analyse``'s answer): the CI on the left, the
    services in the middle (most critical first), their customers on the right."""
    services = impact["services"][:MAX_NODES]
    customers: dict[int, dict] = {}
    for row in services:
        for org in row["customers"]:
            customers.setdefault(org["id"], org)
    shown_customers = sorted(customers.values(), key=lambda o: o["name"])[:MAX_NODES]
    rows = max(len(services), len(shown_customers), 1)
    height = TOP + rows * ROW + 12
    ci_y = TOP + (rows * ROW - BOX_H) // 2 - (ROW - BOX_H) // 2
    graph = Graph(WIDTH, height)
    ci = impact["ci"]
    ci_node = Node("ci", _short(ci["name"]), ci_label, COLUMNS[0], ci_y, "ci", tone="ci")
    graph.nodes.append(ci_node)
    customer_nodes = {}
    for i, org in enumerate(shown_customers):
        node = Node(
            f"org-{org['id']}", _short(org["name"]), "", COLUMNS[2], TOP + i * ROW, "customer"
        )
        customer_nodes[org["id"]] = node
        graph.nodes.append(node)
    for i, row in enumerate(services):
        s = row["service"]
        node = Node(
            f"service-{s['id']}",
            _short(s["name"]),
            row["delivered_by"]["name"],
            COLUMNS[1],
            TOP + i * ROW,
            "service",
            tone=f"criticality-{s['criticality']}",
        )
        graph.nodes.append(node)
        graph.edges.append(Edge(ci_node.x + BOX_W, ci_node.mid_y, node.x, node.mid_y))
        for org in row["customers"]:
            target = customer_nodes.get(org["id"])
            if target is not None:
                graph.edges.append(Edge(node.x + BOX_W, node.mid_y, target.x, target.mid_y))
    graph.hidden_services = len(impact["services"]) - len(services)
    graph.hidden_customers = len(customers) - len(shown_customers)
    return graph
