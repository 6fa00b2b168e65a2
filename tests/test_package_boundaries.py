"""The domain packages under marketplace/ import each other in one direction only.

Read from the source (no import runs): every `import` and `from … import` in
marketplace/<package>/…, inside functions too, gives an edge package -> package. The
modules at the top of marketplace/ (the app factory, models.py, schema.py…) gather every
domain and are left out. Three rules, each failure naming the files and lines to fix:
- no two packages import each other (directly: "both ways"; or around a longer circle);
- `core` imports no domain package and nothing from `workers`.
"""
import ast
from collections import defaultdict
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "marketplace"

Edges = dict[str, dict[str, list[str]]]  # package -> imported package -> ["file:line", …]


def _imported_modules(node: ast.AST, module_parts: list[str]) -> list[str]:
    """Absolute dotted names imported by one statement of module `module_parts`."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if isinstance(node, ast.ImportFrom):
        if not node.level:
            return [node.module or ""]
        # A relative import climbs from the module's package (the module's own name dropped).
        base = module_parts[: len(module_parts) - node.level]
        return [".".join(base + ([node.module] if node.module else []))]
    return []


def package_edges(package_dir: Path = PACKAGE) -> Edges:
    edges: Edges = defaultdict(lambda: defaultdict(list))
    domains = {path.name for path in package_dir.iterdir() if (path / "__init__.py").exists()}
    for path in sorted(package_dir.rglob("*.py")):
        relative = path.relative_to(package_dir)
        if len(relative.parts) == 1:
            continue  # the app factory and the modules that gather every domain
        source = relative.parts[0]
        module_parts = ["marketplace", *relative.with_suffix("").parts]
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            for name in _imported_modules(node, module_parts):
                parts = name.split(".")
                if parts[0] == "marketplace" and len(parts) > 1 and parts[1] in domains:
                    target = parts[1]
                elif parts[0] == "workers":
                    target = "workers"
                else:
                    continue
                if target != source:
                    where = f"{path.relative_to(package_dir.parent)}:{node.lineno}"
                    edges[source][target].append(where)
    return edges


def _cycles(edges: Edges) -> list[list[str]]:
    """Strongly connected components of more than one package (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in edges.get(node, {}):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                components.append(sorted(component))

    for node in list(edges):
        if node not in index:
            visit(node)
    return sorted(components)


def _describe(edges: Edges, source: str, target: str) -> str:
    places = edges[source][target]
    more = f" (+{len(places) - 3} more)" if len(places) > 3 else ""
    return f"  {source} -> {target}: {', '.join(places[:3])}{more}"


def boundary_problems(edges: Edges) -> list[str]:
    problems = []
    for component in _cycles(edges):
        members = set(component)
        problems.append("cycle: " + " <-> ".join(component))
        problems += [
            _describe(edges, source, target)
            for source in component
            for target in sorted(edges[source])
            if target in members
        ]
    for source in sorted(edges):
        for target in sorted(edges[source]):
            if source < target and source in edges.get(target, {}):
                problems.append(f"both ways: {source} <-> {target}")
                problems += [_describe(edges, source, target), _describe(edges, target, source)]
    problems += [
        "core imports a domain package or workers:\n" + _describe(edges, "core", target)
        for target in sorted(edges.get("core", {}))
    ]
    return problems


def test_domain_packages_import_one_way_and_core_imports_no_domain():
    problems = boundary_problems(package_edges())
    assert not problems, "package boundaries broken:\n" + "\n".join(problems)


def test_the_scan_sees_cycles_both_ways_pairs_and_core_importing_up(tmp_path):
    """The rules above hold because the scan works, not because it sees nothing."""
    package = tmp_path / "marketplace"
    files = {
        "core/__init__.py": "",
        "core/web.py": "def helper():\n    from marketplace.orders.models import Order\n",
        "orders/__init__.py": "",
        "orders/models.py": "from ..payments import models\n",
        "payments/__init__.py": "",
        "payments/models.py": "from marketplace.orders.models import Order\n",
        "cart/__init__.py": "",
        "cart/views.py": "import marketplace.delivery.services\n",
        "delivery/__init__.py": "",
        "delivery/services.py": "from marketplace.catalog import search\n",
        "catalog/__init__.py": "",
        "catalog/search.py": "from marketplace.cart.models import Cart\nfrom .models import X\n",
        "models.py": "from marketplace.orders.models import Order\n",
    }
    for name, text in files.items():
        (package / name).parent.mkdir(parents=True, exist_ok=True)
        (package / name).write_text(text)

    edges = package_edges(package)
    problems = boundary_problems(edges)

    assert "catalog" not in edges["catalog"]  # a package importing itself is no edge
    assert "cycle: cart <-> catalog <-> delivery" in problems
    assert "cycle: orders <-> payments" in problems
    assert "both ways: orders <-> payments" in problems
    assert "both ways: cart <-> delivery" not in problems
    assert any(problem.startswith("core imports") and "core -> orders" in problem
               for problem in problems)
