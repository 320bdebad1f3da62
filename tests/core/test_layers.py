"""No import circles in the core: every module of `studio` can be read without its importers.

The layers themselves (no import running up the stack) are import-linter's contract in
pyproject.toml, checked by `lint-imports`; this test catches circles inside one layer too, which
a layers contract cannot see. grimp counts imports inside functions as well as at the top.
"""

from __future__ import annotations

import grimp


def import_cycles(graph: grimp.ImportGraph, package: str) -> list[list[str]]:
    """The strongly connected groups of more than one module under `package` (Tarjan's
    algorithm, iterative), each sorted, longest first."""
    modules = sorted(m for m in graph.modules if m == package or m.startswith(package + "."))
    inside = set(modules)
    edges = {m: sorted(graph.find_modules_directly_imported_by(m) & inside) for m in modules}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []
    for root in modules:
        if root in index:
            continue
        work = [(root, 0)]
        while work:
            module, next_edge = work.pop()
            if next_edge == 0:
                index[module] = low[module] = len(index)
                stack.append(module)
                on_stack.add(module)
            for position in range(next_edge, len(edges[module])):
                target = edges[module][position]
                if target not in index:
                    work += [(module, position + 1), (target, 0)]
                    break
                if target in on_stack:
                    low[module] = min(low[module], index[target])
            else:
                if low[module] == index[module]:
                    group = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        group.append(member)
                        if member == module:
                            break
                    if len(group) > 1:
                        groups.append(sorted(group))
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[module])
    return sorted(groups, key=lambda g: (-len(g), g))


def test_the_cycle_finder_names_the_modules_of_a_circle() -> None:
    graph = grimp.ImportGraph()
    for importer, imported in [
        ("pkg.a", "pkg.b"), ("pkg.b", "pkg.c"), ("pkg.c", "pkg.a"),  # a circle of three
        ("pkg.c", "pkg.d"), ("pkg.d", "pkg.e"),  # a chain out of it
        ("pkg.e", "pkg.f"), ("pkg.f", "pkg.e"),  # and a circle of two
        ("pkg.g", "pkg.g"),  # a module importing itself is no circle between modules
        ("pkg.d", "other.x"), ("other.x", "pkg.d"),  # outside the package: not counted
    ]:  # fmt: skip
        graph.add_import(importer=importer, imported=imported)
    assert import_cycles(graph, "pkg") == [["pkg.a", "pkg.b", "pkg.c"], ["pkg.e", "pkg.f"]]


def test_the_core_has_no_import_circles() -> None:
    graph = grimp.build_graph("studio", cache_dir=None)
    cycles = import_cycles(graph, "studio")
    assert not cycles, "import circles in the core (break each one):\n" + "\n".join(
        " <-> ".join(group) for group in cycles
    )
