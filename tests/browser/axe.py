"""axe-core (vendored from npm, see vendor/axe-core/README.md) run on a page in the browser tests.

The script is evaluated through the DevTools protocol (`page.evaluate`) rather than added as a `<script>`
tag: Playwright's `add_script_tag` inserts an inline script, which the pages' Content-Security-Policy
(no 'unsafe-inline') blocks, and axe would never load.
"""

from functools import cache
from pathlib import Path

from playwright.sync_api import Page

AXE_SCRIPT = Path(__file__).resolve().parent / "vendor" / "axe-core" / "axe.min.js"
BLOCKING_IMPACTS = frozenset({"serious", "critical"})


@cache
def axe_source() -> str:
    return AXE_SCRIPT.read_text(encoding="utf-8")


def run_axe(page: Page) -> list[dict]:
    """The violations of serious or critical impact on the page as it is now, as axe reports them (`id`,
    `impact`, `help`, `helpUrl`, `nodes`…)."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(axe_source())
    results = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    return [violation for violation in results["violations"] if violation["impact"] in BLOCKING_IMPACTS]


def describe(violations: list[dict]) -> str:
    """A readable list for an assertion message: each rule, its impact and the elements at fault."""
    return "\n".join(
        f"{violation['impact']}: {violation['id']} ({violation['help']}) at "
        + ", ".join(" ".join(node["target"]) for node in violation["nodes"])
        for violation in violations
    )
