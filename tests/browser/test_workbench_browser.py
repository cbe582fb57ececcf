"""The workbench as an analyst uses it, in Debian's Chromium driven by Playwright: log in,
search in Persian, open a document, and look at it (screenshots are checked, not just taken).

Skipped with a reason when Chromium or Playwright is missing (`make test` installs Chromium
with apt-get when it runs as root)."""

from __future__ import annotations

import shutil
import socket
import threading
import time

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
playwright = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
if not shutil.which("chromium"):
    pytest.skip("Debian's chromium is not installed (apt-get install chromium)", allow_module_level=True)

import uvicorn  # noqa: E402

from rasad.store.users import create_user  # noqa: E402
from rasad.web.app import create_app  # noqa: E402
from tests.helpers import make_ingester, write_texts  # noqa: E402

PASSWORD = "a long enough passphrase"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    from rasad.config import Settings

    tmp = tmp_path_factory.mktemp("browser")
    settings = Settings(home=tmp / "home", db=f"sqlite:///{tmp / 'rasad.db'}", allow_private=("127.0.0.1",))
    db, ing = make_ingester(settings)
    ing.run([str(p) for p in write_texts(tmp / "in").values()])
    with db.session() as session:
        create_user(session, "analyst@example.org", PASSWORD, "analyst")
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(settings, db, ing.backend), host="127.0.0.1",
                                           port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    for _ in range(100):
        if server.started:
            break
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)
    ing.close()


@pytest.fixture(scope="module")
def page(site):
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1100, "height": 900})
        yield page
        browser.close()


def ink(png: bytes) -> float:
    """Share of pixels that are not background: a blank or broken page has almost none."""
    from io import BytesIO

    from PIL import Image

    image = Image.open(BytesIO(png)).convert("L")
    pixels = list(image.getdata())
    return sum(1 for v in pixels if v < 200) / len(pixels)


def test_an_analyst_logs_in_searches_in_persian_and_reads_a_document(site, page, tmp_path):
    page.goto(site + "/")
    assert "/login" in page.url  # the archive is closed once an account exists
    page.fill("input[name=email]", "analyst@example.org")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(site + "/")
    page.fill("form.quick input[name=q]", "سخنگوی امارت")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search?q=*")
    results = page.locator("ol.results li, .results li, article a")
    assert results.count() >= 1
    page.click("text=مجاهد")
    page.wait_for_url("**/documents/*")
    text = page.locator("div.text")
    assert text.get_attribute("dir") == "rtl"
    assert "ذبیح‌الله مجاهد" in page.content()
    assert page.locator("section.extraction h2").first.inner_text() == "Statements"
    shot = text.screenshot(path=str(tmp_path / "document.png"))
    assert ink(shot) > 0.02  # Arabic-script glyphs were drawn, not empty boxes of background
    box = page.locator("div.text p").first.bounding_box()
    assert box["x"] + box["width"] > 500  # right-to-left text runs to the right edge


def test_dashboard_and_actor_page_render_their_charts(site, page, tmp_path):
    page.goto(site + "/dashboard")
    assert page.locator("svg.chart").count() == 1
    assert ink(page.screenshot(path=str(tmp_path / "dashboard.png"))) > 0.01
    page.goto(site + "/actors/zabihullah-mujahid")
    assert "Recent statements" in page.content()
