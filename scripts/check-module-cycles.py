#!/usr/bin/env python3
"""Fails when the modules of a crate import each other in a cycle.

Usage: scripts/check-module-cycles.py SRC_DIR...   (e.g. core/src bindings/src)

A module is a top-level file or folder of SRC_DIR (`a.rs` and `a/*.rs` are both `a`); it depends
on every `crate::b` path in its code (`use crate::b::...`, `use crate::{b, c}`, `crate::b::f()`),
comments and `#[cfg(test)]` tails left out. Prints each cycle (a strongly connected component of
two or more modules) with its edges.
"""
import os
import re
import sys


def graph(root):
    deps = {}
    for dirpath, _, files in os.walk(root):
        for name in files:
            if not name.endswith(".rs"):
                continue
            path = os.path.join(dirpath, name)
            top = os.path.relpath(path, root).split(os.sep)[0].removesuffix(".rs")
            if top in ("lib", "main", "bin"):
                continue
            with open(path, encoding="utf-8") as f:
                text = f.read()
            tests = text.find("#[cfg(test)]")
            if tests >= 0:
                text = text[:tests]
            text = re.sub(r"//[^\n]*", "", text)
            mods = set(re.findall(r"crate::([a-z_][a-z0-9_]*)", text))
            for group in re.findall(r"crate::\{([^}]*)\}", text, re.S):
                mods |= set(re.findall(r"(?:^|[,\s{])([a-z_][a-z0-9_]*)(?=::|\s*[,}]|$)", group))
            deps.setdefault(top, set()).update(m for m in mods if m != top)
    return deps


def cycles(deps):
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(deps.get(v, ())):
            if w not in deps:
                continue
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(deps):
        if v not in index:
            visit(v)
    return found


status = 0
for root in sys.argv[1:]:
    deps = graph(root)
    found = cycles(deps)
    for component in found:
        status = 1
        print(f"{root}: import cycle: {' <-> '.join(component)}", file=sys.stderr)
        for m in component:
            print(f"    {m} -> {', '.join(sorted(d for d in deps[m] if d in component))}", file=sys.stderr)
    if not found:
        print(f"{root}: {len(deps)} modules, no import cycle")
sys.exit(status)
