"""Viewport screenshots of a claim page, /claims and a chart page at 390 and 1280 px, for docs/screenshots/."""

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

base, out = sys.argv[1], Path(sys.argv[2])
out.mkdir(parents=True, exist_ok=True)
pages = {
    "claim": "/doc/claim/000-bodies-total-to-date.html",
    "claims": "/claims",
    "chart": "/doc/figures/state-russia--bodies-returned-to-ukraine-total.html",
}
with sync_playwright() as p:
    browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"])
    for width, height in ((390, 844), (1280, 900)):
        context = browser.new_context(viewport={"width": width, "height": height}, device_scale_factor=1)
        page = context.new_page()
        for name, path in pages.items():
            page.goto(base + path)
            if name == "chart":
                page.evaluate(
                    "() => { const s = [...document.querySelectorAll('svg')].find(e => e.getBoundingClientRect().width > 100); if (s) s.scrollIntoView({block: 'start'}); }"
                )
            page.screenshot(path=str(out / f"{name}-{width}.png"))
        context.close()
    browser.close()
