"""The search behind the charts' palette (council.framework.palette), repeatable:

    .venv/bin/python scripts/chart_palette.py [threshold]

Candidates: the design tokens' primitive colours (static/vendor/design-tokens/tokens.css; families
blue … purple, levels 50–1200) with at least 3:1 contrast against the white plot background (WCAG
1.4.11). Two candidates are "apart" when their CIEDE2000 difference is at least `threshold` (default
20) for normal vision and under the Machado et al. (2009) simulations of protanopia, deuteranopia and
tritanopia at severity 1.0 (council.framework.colour). The categorical palette is the largest set of
candidates pairwise apart (a maximum clique, found exactly by Bron–Kerbosch with pivoting); among
sets of that size the one with the largest smallest difference wins. Then the sequential scales: for
each family, the steps whose neighbours differ by at least `threshold` in L* under every vision.
"""

from __future__ import annotations

import itertools
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from council.framework.colour import VISIONS, contrast, difference, lightness  # noqa: E402

TOKENS = Path(__file__).resolve().parent.parent / "static/vendor/design-tokens/tokens.css"
FAMILIES = ("blue", "light-blue", "cyan", "green", "lime", "yellow", "orange", "red", "magenta", "purple")


def primitives() -> dict[str, str]:
    text = TOKENS.read_text()
    return {
        f"{family}-{level}": value.lower()
        for family, level, value in re.findall(r"--color-primitive-([a-z-]+)-(\d+): (#[0-9a-fA-F]{6})", text)
        if family in FAMILIES
    }


def worst(a: str, b: str) -> tuple[float, str]:
    return min((difference(a, b, v), v) for v in VISIONS)


def max_cliques(nodes: list[str], adjacent: dict[str, set[str]]) -> list[set[str]]:
    best: list[set[str]] = []
    size = 0

    def expand(r: set[str], p: set[str], x: set[str]) -> None:
        nonlocal size, best
        if len(r) + len(p) < size:
            return
        if not p and not x:
            if len(r) > size:
                size, best = len(r), [r]
            elif len(r) == size:
                best.append(r)
            return
        pivot = max(p | x, key=lambda u: len(adjacent[u] & p))
        for v in list(p - adjacent[pivot]):
            expand(r | {v}, p & adjacent[v], x & adjacent[v])
            p = p - {v}
            x = x | {v}

    expand(set(), set(nodes), set())
    return best


def main(threshold: float = 20.0) -> None:
    colours = primitives()
    candidates = [name for name, hex_ in colours.items() if contrast(hex_, "#ffffff") >= 3]
    print(f"{len(colours)} primitive colours, {len(candidates)} with ≥ 3:1 against white")
    distance = {(a, b): worst(colours[a], colours[b])[0] for a, b in itertools.combinations(candidates, 2)}
    adjacent = {c: set() for c in candidates}
    for (a, b), d in distance.items():
        if d >= threshold:
            adjacent[a].add(b)
            adjacent[b].add(a)
    cliques = max_cliques(candidates, adjacent)

    def smallest(clique) -> float:
        return min(
            distance.get((a, b), distance.get((b, a), 0.0)) for a, b in itertools.combinations(clique, 2)
        )

    cliques.sort(key=smallest, reverse=True)
    print(f"largest set apart by ΔE00 ≥ {threshold}: {len(cliques[0])} colours ({len(cliques)} such sets)")
    for clique in cliques[:5]:
        print(f"  min ΔE {smallest(clique):5.1f}:", ", ".join(f"{c} {colours[c]}" for c in sorted(clique)))
    family = {name: name.rsplit("-", 1)[0] for name in candidates}
    distinct = [c for c in cliques if len({family[n] for n in c}) == len(c)]
    print(f"  from {len(cliques[0])} families: {len(distinct)} sets, the best:")
    for clique in distinct[:12]:
        print(f"  min ΔE {smallest(clique):5.1f}:", ", ".join(sorted(clique)))
    from council.framework.palette import CATEGORICAL_TOKENS

    chosen = sorted(CATEGORICAL_TOKENS)
    print("the palette (council.framework.palette):", ", ".join(CATEGORICAL_TOKENS))
    for vision in VISIONS:
        low = min(difference(colours[a], colours[b], vision) for a, b in itertools.combinations(chosen, 2))
        print(f"  {vision:13} smallest ΔE00 {low:5.1f}")
    print(f"  contrast against white: {min(contrast(colours[c], '#ffffff') for c in chosen):.2f}:1 at least")
    print("sequential scales (adjacent steps ΔL* ≥ threshold under every vision):")
    for family in FAMILIES:
        levels = [
            name
            for name in colours
            if name.startswith(f"{family}-") and name.count("-") == family.count("-") + 1
        ]
        print(
            f"  {family}: " + " ".join(f"{n.rsplit('-', 1)[1]}:{lightness(colours[n]):.0f}" for n in levels)
        )


if __name__ == "__main__":
    main(float(sys.argv[1]) if len(sys.argv) > 1 else 20.0)
