"""The shape of a suite at a glance: ``saferegress suite stats PATH...``.

``suite_stats`` counts cases per language × category (attacks and benign look-alikes), the
attack styles each language covers, and the train/test split per language; ``stats_table``
renders it with tabulate, and the dict itself is what ``--json`` prints.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from typing import Any

from tabulate import tabulate

from saferegress.languages import CATEGORIES, LANGUAGES
from saferegress.suite.cases import Case

__all__ = ["stats_table", "suite_stats"]

_NO_SPLIT = "none"


def suite_stats(cases: Iterable[Case]) -> dict[str, Any]:
    """Counts by language (in the usual order; only languages present) and category."""
    cases = list(cases)
    cells: dict[str, dict[str, Counter[str]]] = defaultdict(lambda: defaultdict(Counter))
    styles: dict[str, Counter[str]] = defaultdict(Counter)
    splits: dict[str, Counter[str]] = defaultdict(Counter)
    groups: dict[str, set[str]] = defaultdict(set)
    for case in cases:
        cells[case.lang][case.category][case.kind] += 1
        if case.kind == "attack":
            styles[case.lang][case.style] += 1
        splits[case.lang][case.split or _NO_SPLIT] += 1
        groups[case.kind].add(case.group or case.id)
    languages = [lang for lang in LANGUAGES if lang in cells]
    categories = [code for code in CATEGORIES if any(code in cells[lang] for lang in languages)]
    return {
        "cases": len(cases),
        "groups": {kind: len(names) for kind, names in sorted(groups.items())},
        "smoke": sum(case.smoke for case in cases),
        "languages": {
            lang: {
                "attack": sum(c["attack"] for c in cells[lang].values()),
                "benign": sum(c["benign"] for c in cells[lang].values()),
                "categories": {
                    code: {
                        "attack": cells[lang][code]["attack"],
                        "benign": cells[lang][code]["benign"],
                    }
                    for code in categories
                },
                "styles": dict(sorted(styles[lang].items())),
                "splits": dict(sorted(splits[lang].items())),
            }
            for lang in languages
        },
    }


def stats_table(stats: dict[str, Any]) -> str:
    """Language × category table (``attacks/benign`` per cell), then styles and splits."""
    languages = stats["languages"]
    if not languages:
        return "no cases"
    categories = list(next(iter(languages.values()))["categories"])
    rows = []
    for lang, figures in languages.items():
        cells = [
            f"{figures['categories'][c]['attack']}/{figures['categories'][c]['benign']}"
            for c in categories
        ]
        splits = figures["splits"]
        rows.append(
            [
                lang,
                *cells,
                figures["attack"],
                figures["benign"],
                len(figures["styles"]),
                splits.get("train", 0),
                splits.get("test", 0),
            ]
        )
    main = tabulate(
        rows,
        headers=["lang", *categories, "attacks", "benign", "styles", "train", "test"],
        disable_numparse=True,
        stralign="right",
    )
    style_names = sorted({s for f in languages.values() for s in f["styles"]})
    style_rows = [
        [lang, *(f["styles"].get(s, 0) for s in style_names)] for lang, f in languages.items()
    ]
    styles = tabulate(style_rows, headers=["lang", *style_names])
    groups = ", ".join(f"{n} {kind}" for kind, n in stats["groups"].items())
    return (
        f"{stats['cases']} cases ({groups} groups; {stats['smoke']} in the smoke subset)\n"
        "cells: attacks/benign per language × category\n\n"
        f"{main}\n\nattack cases per style\n\n{styles}"
    )
