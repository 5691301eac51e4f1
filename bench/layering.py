#!/usr/bin/env python3
"""How the code's walls stand: import cycles between files, SQL outside stores, long functions.

    python3 bench/layering.py            # summary
    python3 bench/layering.py --cycle    # also list the files of the largest cycle

An edge A -> B means a `crate::…`, `super::…` or `self::…` path in A names an item of B (a `mod`
declaration is not an edge: a parent owning a child is not a dependency on it).
"""

import os
import re
import sys
from collections import defaultdict

SRC = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src")


def module_files():
    """Module path (tuple) -> file path, for every .rs file under src/."""
    modules = {}
    for root, _, files in os.walk(SRC):
        for name in files:
            if not name.endswith(".rs"):
                continue
            rel = os.path.relpath(os.path.join(root, name), SRC)
            parts = rel[:-3].split(os.sep)
            if parts[-1] in ("mod", "lib", "main"):
                parts = parts[:-1]
            if rel in ("main.rs",):
                continue
            modules[tuple(parts)] = rel
    return modules


def strip_comments_and_strings(text):
    text = re.sub(r"//[^\n]*", "", text)
    text = re.sub(r'r#*"(?:.|\n)*?"#*', '""', text)
    return re.sub(r'"(?:\\.|[^"\\])*"', '""', text)


def use_paths(text):
    """Every path a file names: `use` trees expanded, and inline `crate::a::b` paths."""
    paths = []
    for tree in re.findall(r"\buse\s+([^;]+);", text):
        paths.extend(expand(tree.replace(" ", "").replace("\n", "")))
    paths.extend(re.findall(r"\b((?:crate|super|self)(?:::\w+)+)", text))
    # A bare `admin::edit` names a child module (Rust 2018 paths).
    paths.extend("self::" + p for p in re.findall(r"(?<![:\w])([a-z_]\w*(?:::\w+)+)", text))
    paths.extend("self::" + p for p in expand_bare(text))
    return paths


def expand_bare(text):
    out = []
    for tree in re.findall(r"\buse\s+([a-z_]\w*::[^;]+);", text):
        if not tree.startswith(("crate", "super", "self")):
            out.extend(expand(tree.replace(" ", "").replace("\n", "")))
    return out


def expand(tree):
    """`a::{b, c::{d}}` -> [`a::b`, `a::c::d`]."""
    brace = tree.find("{")
    if brace < 0:
        return [tree.split(" as ")[0]]
    prefix, inner = tree[:brace], tree[brace + 1 : tree.rfind("}")]
    parts, depth, current = [], 0, ""
    for ch in inner:
        if ch == "," and depth == 0:
            parts.append(current)
            current = ""
            continue
        depth += ch == "{"
        depth -= ch == "}"
        current += ch
    parts.append(current)
    out = []
    for part in filter(None, parts):
        out.extend(prefix + p if p != "self" else prefix.rstrip(":") for p in expand(part))
    return out


def resolve(path, here, modules):
    """The file a path lands in: its longest prefix that is a module."""
    segs = path.split("::")
    if segs[0] == "crate":
        base, rest = (), segs[1:]
    elif segs[0] in ("super", "self"):
        base = here
        while segs and segs[0] in ("super", "self"):
            if segs[0] == "super":
                base = base[:-1]
            segs = segs[1:]
        rest = segs
    else:
        return None
    full = base + tuple(rest)
    for cut in range(len(full), 0, -1):
        if full[:cut] in modules:
            return modules[full[:cut]]
    return None


def module_of(rel):
    parts = rel[:-3].split(os.sep)
    is_dir_module = parts[-1] in ("mod", "lib")
    if is_dir_module:
        parts = parts[:-1]
    return tuple(parts), is_dir_module


def graph(modules):
    edges = defaultdict(set)
    for rel in modules.values():
        text = strip_comments_and_strings(open(os.path.join(SRC, rel)).read())
        text = re.sub(r"#\[cfg\(test\)\]\s*mod tests\s*\{(?:.|\n)*", "", text)
        here, is_dir = module_of(rel)
        scope = here if is_dir else here[:-1]
        for path in use_paths(text):
            # `super::` in a file module means its parent directory's module.
            if path.startswith(("super", "self")):
                target = resolve(path, scope if path.startswith("super") else here, modules) if is_dir else resolve(
                    path.replace("self::", "super::" + here[-1] + "::", 1) if path.startswith("self") else path,
                    here,
                    modules,
                )
            else:
                target = resolve(path, here, modules)
            if target and target != rel:
                edges[rel].add(target)
    return edges


def largest_cycle(nodes, edges):
    index, low, on, stack, sccs, counter = {}, {}, set(), [], [], [0]
    sys.setrecursionlimit(10000)

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in edges.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            scc = []
            while True:
                w = stack.pop()
                on.discard(w)
                scc.append(w)
                if w == v:
                    break
            sccs.append(scc)

    for v in nodes:
        if v not in index:
            visit(v)
    return max(sccs, key=len)


def sql_outside_stores(modules):
    sites = []
    for rel in sorted(modules.values()):
        if "store" in os.path.basename(rel) or rel in ("db.rs",):
            continue
        text = open(os.path.join(SRC, rel)).read()
        text = re.sub(r"#\[cfg\(test\)\]\s*mod tests\s*\{(?:.|\n)*", "", text)
        count = len(re.findall(r"sqlx::query", text))
        if count:
            sites.append((rel, count))
    return sites


def longest_functions(modules, top=8):
    found = []
    for rel in modules.values():
        lines = open(os.path.join(SRC, rel)).read().split("\n")
        for i, line in enumerate(lines):
            m = re.match(r"(\s*)(?:pub(?:\([^)]*\))?\s+)?(?:async\s+)?fn\s+(\w+)", line)
            if not m or line.rstrip().endswith(";"):
                continue
            indent = m.group(1)
            for j in range(i + 1, len(lines)):
                if lines[j] == indent + "}":
                    found.append((j - i + 1, f"{rel}:{i + 1} {m.group(2)}"))
                    break
    return sorted(found, reverse=True)[:top]


def main():
    modules = module_files()
    edges = graph(modules)
    cycle = largest_cycle(sorted(modules.values()), edges)
    domains = {f.split(os.sep)[0] for f in cycle if os.sep in f}
    print(f"files: {len(modules)}")
    print(f"largest import cycle: {len(cycle)} files across {len(domains)} folders")
    if "--cycle" in sys.argv:
        for f in sorted(cycle):
            print(f"  {f}")
    sites = sql_outside_stores(modules)
    print(f"sqlx::query outside store files: {sum(c for _, c in sites)} in {len(sites)} files")
    for rel, count in sites:
        print(f"  {rel}: {count}")
    print("longest functions (lines):")
    for length, where in longest_functions(modules):
        print(f"  {length:4} {where}")


if __name__ == "__main__":
    main()
