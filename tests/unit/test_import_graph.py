"""The house's import graph has no circles: a module never imports, directly or through
others, a module that imports it. (import-linter checks the rings; this checks the rooms.)"""

from __future__ import annotations

import grimp

PACKAGES = ("bot", "model_content", "engine", "documents", "adapters", "storage", "runtime")


def circles(graph: grimp.ImportGraph) -> list[tuple[str, ...]]:
    """Each import that some chain of imports leads back from: the importer, then the way
    back to it."""
    found = []
    for module in sorted(graph.modules):
        for imported in sorted(graph.find_modules_directly_imported_by(module)):
            back = graph.find_shortest_chain(importer=imported, imported=module)
            if back is not None:
                found.append((module, *back))
    return found


def test_no_module_imports_itself_back() -> None:
    # Imports inside functions count too: a lazy import is still a circle.
    assert circles(grimp.build_graph(*PACKAGES, cache_dir=None)) == []


def test_a_circle_through_a_third_module_is_found() -> None:
    graph = grimp.ImportGraph()
    for module in ("a", "a.server", "a.worker", "a.shared"):
        graph.add_module(module)
    graph.add_import(importer="a.server", imported="a.worker")
    graph.add_import(importer="a.worker", imported="a.shared")
    graph.add_import(importer="a.shared", imported="a.server")
    assert ("a.server", "a.worker", "a.shared", "a.server") in circles(graph)
