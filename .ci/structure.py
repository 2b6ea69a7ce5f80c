#!/usr/bin/env python3
"""The structure drawing: which Rust file imports which, in app/src and server/src.

Prints the modules ("rooms": a top-level module of the app crate, or the server crate),
the floors they stand on, every import that runs back up a floor, every circle of files,
and every file over the line limit. With --check it fails (exit 1) when there is a circle
of files, more upward imports than ARCHITECTURE.md allows, or a file over the limit.

Floors are chosen to make the fewest imports run back up (exactly, by dynamic programming
over each knot of rooms that import one another), so "upward imports" is a property of the
code, not of a drawing someone chose.
"""
import re
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MAX_LINES = 500
MAX_UPWARD = 6

CRATES = {"app": ROOT / "app" / "src", "server": ROOT / "server" / "src"}


def module_path(crate, src, file):
    parts = list(file.relative_to(src).with_suffix("").parts)
    if parts[-1] in ("mod", "lib", "main"):
        parts = parts[:-1]
    return (crate,) + tuple(parts)


def strip(text):
    """The code without comments, strings and character literals (which may hold `::`)."""
    out, i, n = [], 0, len(text)
    while i < n:
        c = text[i]
        if text.startswith("//", i):
            i = text.find("\n", i)
            i = n if i < 0 else i
        elif text.startswith("/*", i):
            depth, i = 1, i + 2
            while i < n and depth:
                if text.startswith("/*", i):
                    depth, i = depth + 1, i + 2
                elif text.startswith("*/", i):
                    depth, i = depth - 1, i + 2
                else:
                    i += 1
        elif c == "r" and (i == 0 or not (text[i - 1].isalnum() or text[i - 1] == "_")) and re.match(r'r#*"', text[i:]):
            hashes = re.match(r'r(#*)"', text[i:]).group(1)
            close = text.find('"' + hashes, i + 2 + len(hashes))
            i = n if close < 0 else close + 1 + len(hashes)
            out.append('""')
        elif c == '"':
            i += 1
            while i < n and text[i] != '"':
                i += 2 if text[i] == "\\" else 1
            i += 1
            out.append('""')
        elif c == "'":
            m = re.match(r"'(?:\\u\{[0-9a-fA-F]+\}|\\.|[^'\\])'", text[i:])
            if m:
                i += len(m.group(0))
                out.append("''")
            else:
                out.append(c)
                i += 1
        else:
            out.append(c)
            i += 1
    return "".join(out)


def expand(tree):
    """`a::{b, c::{d, e}}` -> ["a::b", "a::c::d", "a::c::e"]."""
    tree = tree.strip()
    depth = 0
    for i, ch in enumerate(tree):
        if ch == "{":
            if depth == 0:
                prefix, inner = tree[:i], tree[i + 1 : tree.rindex("}")]
                items, part, d = [], "", 0
                for c in inner:
                    if c == "," and d == 0:
                        items.append(part)
                        part = ""
                        continue
                    d += c == "{"
                    d -= c == "}"
                    part += c
                items.append(part)
                return [p for item in items if item.strip() for p in expand(prefix + item.strip())]
            depth += 1
    return [re.sub(r"\s+as\s+\w+$", "", tree)]


def references(text):
    """(path, inside an inline module) for every `use` and every inline `crate::` path."""
    text = strip(text)
    found = []
    stack = []  # for each open brace: does it open an inline `mod x {`?
    i = 0
    token = re.compile(r"\bmod\s+\w+\s*\{|\buse\s+[^;]+;|\b(?:crate|super|raia_app)::[\w:]+|[{}]")
    for m in token.finditer(text):
        s = m.group(0)
        if s == "{":
            stack.append(False)
        elif s == "}":
            if stack:
                stack.pop()
        elif s.startswith("mod"):
            stack.append(True)
        else:
            inline = any(stack)
            if s.startswith("use"):
                for p in expand(s[3:-1]):
                    found.append((p.strip(), inline))
            else:
                found.append((s, inline))
    return found


def main():
    files = {}
    for crate, src in CRATES.items():
        for f in sorted(src.rglob("*.rs")):
            files[module_path(crate, src, f)] = f
    modules = set(files)

    def resolve(me, path, inline):
        segs = [s for s in path.split("::") if s]
        if not segs:
            return None
        if segs[0] == "crate":
            base, segs = (me[0],), segs[1:]
        elif segs[0] == "raia_app":
            base, segs = ("app",), segs[1:]
        elif segs[0] == "super":
            base = me if inline else me[:-1]
            segs = segs[1:]
            while segs and segs[0] == "super":
                base, segs = base[:-1], segs[1:]
        elif segs[0] == "self":
            base, segs = me, segs[1:]
        else:
            return None
        best = None
        for n in range(len(segs) + 1):
            cand = base + tuple(segs[:n])
            if cand in modules:
                best = cand
        if best is None and base[0] == "app" and segs and segs[0] == "i18n":
            return ("app", "i18n")
        return best

    edges = defaultdict(set)
    long_files = []
    for me, f in files.items():
        text = f.read_text()
        lines = text.count("\n")
        if lines > MAX_LINES:
            long_files.append((lines, f.relative_to(ROOT)))
        for path, inline in references(text):
            target = resolve(me, path, inline)
            if target and target != me and target != ("app", "i18n"):
                # A module's mod.rs declaring its children is containment, not use.
                if target[: len(me)] == me and len(me) < len(target):
                    continue
                edges[me].add(target)

    # Circles of files (Tarjan).
    index, low, on, stack, sccs, counter = {}, {}, set(), [], [], [0]

    def strongconnect(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in edges[v]:
            if w not in index:
                strongconnect(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            sccs.append(comp)

    sys.setrecursionlimit(10000)
    for v in list(files):
        if v not in index:
            strongconnect(v)
    circles = [c for c in sccs if len(c) > 1]

    # Rooms: a top-level module of the app crate; the server crate is one room above them.
    def room(m):
        return "server" if m[0] == "server" else (m[1] if len(m) > 1 else "lib")

    room_edges = defaultdict(list)  # (from, to) -> file imports
    for a, targets in edges.items():
        for b in targets:
            ra, rb = room(a), room(b)
            if ra != rb:
                room_edges[(ra, rb)].append((a, b))
    rooms = sorted({room(m) for m in files})

    floor = order_rooms(rooms, room_edges)
    upward = [
        (a, b, imports)
        for (a, b), imports in sorted(room_edges.items())
        if floor[a] <= floor[b]
    ]
    upward_imports = sum(len(i) for _, _, i in upward)

    show = lambda m: "/".join(m)
    print(f"{len(files)} files, {len(rooms)} rooms, {len(room_edges)} arrows between rooms")
    by_floor = defaultdict(list)
    for r in rooms:
        by_floor[floor[r]].append(r)
    for fl in sorted(by_floor, reverse=True):
        print(f"  floor {fl:2}: {' '.join(sorted(by_floor[fl]))}")
    print(f"\ncircles of files: {len(circles)}")
    for c in circles:
        print("  " + " -> ".join(show(m) for m in sorted(c)))
    print(f"\nimports running back up: {upward_imports} (in {len(upward)} arrows between rooms)")
    for a, b, imports in upward:
        for x, y in sorted(imports):
            print(f"  {a} -> {b}: {show(x)} uses {show(y)}")
    print(f"\nfiles over {MAX_LINES} lines: {len(long_files)}")
    for n, f in sorted(long_files, reverse=True):
        print(f"  {n} {f}")

    if "--check" in sys.argv:
        ok = not circles and upward_imports <= MAX_UPWARD and not long_files
        print("\nstructure:", "ok" if ok else "FAILED")
        sys.exit(0 if ok else 1)


def order_rooms(rooms, room_edges):
    """Floors with the fewest file imports running up: exact within each knot of rooms."""
    graph = defaultdict(set)
    weight = defaultdict(int)
    for (a, b), imports in room_edges.items():
        graph[a].add(b)
        weight[(a, b)] = len(imports)
    # Knots (strongly connected sets of rooms), by a simple reachability closure.
    reach = {r: {r} for r in rooms}
    changed = True
    while changed:
        changed = False
        for a in rooms:
            new = set().union(*(reach[b] for b in graph[a])) | reach[a]
            if new != reach[a]:
                reach[a], changed = new, True
    knots, seen = [], set()
    for r in rooms:
        if r in seen:
            continue
        knot = sorted(x for x in rooms if x in reach[r] and r in reach[x])
        seen.update(knot)
        knots.append(knot)
    # Order inside each knot: minimum total weight of edges from lower to higher.
    inner_rank = {}
    for knot in knots:
        if len(knot) == 1:
            inner_rank[knot[0]] = 0
            continue
        n = len(knot)
        best = {0: (0, [])}
        for mask in range(1 << n):
            if mask not in best:
                continue
            cost, order = best[mask]
            for j in range(n):
                if mask & (1 << j):
                    continue
                v = knot[j]
                # Placing v above everything in mask: imports from mask up to v run up.
                add = sum(weight[(knot[k], v)] for k in range(n) if mask & (1 << k))
                nm = mask | (1 << j)
                if nm not in best or best[nm][0] > cost + add:
                    best[nm] = (cost + add, order + [v])
        for rank, v in enumerate(best[(1 << n) - 1][1]):
            inner_rank[v] = rank
    # Floors: longest path from the bottom, ignoring the edges that run up.
    floor = {}

    def height(r, visiting=()):
        if r in floor:
            return floor[r]
        below = [
            b
            for b in graph[r]
            if not (b in reach[r] and r in reach[b] and inner_rank[b] >= inner_rank[r])
        ]
        floor[r] = 1 + max((height(b) for b in below), default=0)
        return floor[r]

    for r in rooms:
        height(r)
    return floor


if __name__ == "__main__":
    main()
