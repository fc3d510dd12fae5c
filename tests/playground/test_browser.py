"""The page in a real browser: Debian's headless Chromium driven by Playwright.

The server is ``glassnet playground`` itself. Each test leaves a screenshot in the artifacts
folder (``$GLASSNET_ARTIFACTS``, default ``artifacts/`` in the repository, git-ignored);
``GLASSNET_UPDATE_SCREENSHOT=1`` also writes the README's picture. With ``CI`` set these tests
must run: a missing Chromium or Playwright is then a failure, not a skip.
"""

import math
import os
import re
import shutil
import time
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = Path(os.environ.get("GLASSNET_ARTIFACTS", ROOT / "artifacts")) / "playground"
README_SHOT = ROOT / "docs" / "readme" / "img" / "playground.png"
IN_CI = os.environ.get("CI", "").lower() not in ("", "0", "false", "no")


def _need(ok, why):
    if not ok:
        if IN_CI:
            pytest.fail(f"{why}; CI must run the browser tests (.ci/run installs chromium)")
        pytest.skip(why)


try:
    from playwright.sync_api import expect, sync_playwright
except ImportError:
    sync_playwright = None
pytest.importorskip("uvicorn", reason="the playground extra (uvicorn) is not installed")


@pytest.fixture(scope="module")
def browser(live_server):
    _need(sync_playwright is not None, "Playwright is not installed (pip install playwright)")
    _need(os.path.exists(CHROMIUM), f"no {CHROMIUM} (apt-get install chromium)")
    with sync_playwright() as p:
        # --no-sandbox: Chromium's sandbox cannot start as root, which CI runs as
        b = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield b
        b.close()


@pytest.fixture
def page(browser, live_server, request):
    context = browser.new_context(viewport={"width": 1400, "height": 1300})
    pg = context.new_page()
    pg.set_default_timeout(20_000)
    errors = []
    pg.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.errors = errors
    pg.base = live_server
    yield pg
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    pg.screenshot(path=ARTIFACTS / f"{request.node.name}.png", full_page=True)
    context.close()


def wait_until(page, expression, timeout=20.0):
    """Poll ``expression`` in the page until it is true. (Playwright's wait_for_function
    evaluates strings in the page, which the page's Content-Security-Policy rightly forbids;
    ``evaluate`` goes through the DevTools protocol instead.)"""
    deadline = time.monotonic() + timeout
    while not page.evaluate(expression):
        if time.monotonic() > deadline:
            raise AssertionError(f"still false after {timeout} s: {expression}")
        page.wait_for_timeout(50)


def open_page(page, fragment=""):
    page.goto(f"{page.base}/{fragment}")
    wait_until(page, "document.body.dataset.epoch !== undefined")  # a frame was drawn
    expect(page.locator("#conn")).to_have_text("connected")


def number(page, selector):
    return float(page.inner_text(selector).replace("−", "-").replace(",", ""))


def epoch(page):
    return int(page.evaluate("document.body.dataset.epoch"))


def wait_epoch(page, at_least):
    wait_until(page, f"Number(document.body.dataset.epoch) >= {at_least}")


def test_page_loads_without_console_errors(page):
    open_page(page)
    assert page.title() == "glassnet playground"
    expect(page.locator(".thumb")).to_have_count(6)
    expect(page.locator("#network .node.input")).to_have_count(7)
    expect(page.locator("#network .node.hidden")).to_have_count(6)  # 4 + 2, the defaults
    expect(page.locator("#network .node.output")).to_have_count(1)
    expect(page.locator("#epoch")).to_have_text("000,000")
    assert "dataset=circle" in page.url and "hidden=4,2" in page.url
    assert page.errors == []


def test_play_lowers_the_displayed_loss(page):
    open_page(page)
    first = number(page, "#loss-test")
    page.click("#play")
    wait_epoch(page, 45)
    page.click("#play")
    expect(page.locator("#play")).not_to_have_class(re.compile("playing"))
    assert number(page, "#loss-test") < 0.7 * first
    assert number(page, "#loss-train") < 0.7 * first
    assert page.errors == []


def test_adding_a_layer_and_a_neuron_changes_the_drawing(page):
    open_page(page)
    links = page.locator("#links path.link")
    expect(links).to_have_count(2 * 4 + 4 * 2 + 2 * 1)
    page.click("#add-layer")  # a new hidden layer of two neurons
    expect(page.locator("#network .node.hidden")).to_have_count(8)
    expect(page.locator("#layers-title")).to_have_text("3 hidden layers")
    expect(links).to_have_count(2 * 4 + 4 * 2 + 2 * 2 + 2 * 1)
    page.locator(".pm-layer").nth(0).locator("button").nth(0).click()  # + on layer 1
    expect(page.locator("#network .node.hidden")).to_have_count(9)
    expect(links).to_have_count(2 * 5 + 5 * 2 + 2 * 2 + 2 * 1)
    expect(page.locator(".pm-count").nth(0)).to_have_text("5 neurons")
    assert "hidden=5,2,2" in page.url
    page.click("#network .node.input[data-feature=x1sq]")  # one more input feature
    expect(links).to_have_count(3 * 5 + 5 * 2 + 2 * 2 + 2 * 1)
    assert "features=x1,x2,x1sq" in page.url
    assert page.errors == []


def test_a_weight_shows_on_hover_and_changes_by_click(page):
    open_page(page)
    link = page.locator("#links path.link-hit").nth(0)  # X1 -> the first hidden neuron
    link.hover(force=True)  # links overlap: Playwright would wait for a clear spot
    card = page.locator("#hovercard")
    expect(card).to_be_visible()
    expect(card.locator(".card-title")).to_have_text("Weight from X₁ to neuron 1 of layer 1")
    link.click(force=True)
    page.fill("#hovercard .card-input", "2.5")
    page.press("#hovercard .card-input", "Enter")
    expect(card).to_be_hidden()
    drawn = page.locator("#links path.link").nth(0)
    expect(drawn).to_have_attribute("stroke-width", "5.50")  # 1 + 9 * |2.5| / 5
    expect(drawn).to_have_attribute("stroke", "rgb(8,119,189)")  # positive: blue
    script = page.evaluate(f"fetch('/api/session/' + {session_js()} + '/script.py')"
                           ".then(r => r.text())")
    assert "model.layers[0].params['W'][0, 0] = 2.5  # set by hand" in script
    assert page.errors == []


def session_js():
    """The page's session id, read from its download link."""
    return "document.getElementById('dl-model').getAttribute('href').split('/')[3]"


def test_switching_dataset_and_activation(page):
    open_page(page)
    page.click(".thumb[data-dataset=xor]")
    expect(page.locator(".thumb[data-dataset=xor]")).to_have_class(re.compile("selected"))
    page.select_option("#activation", "relu")
    wait_until(page, "location.hash.includes('activation=relu')")
    assert "dataset=xor" in page.url
    page.click(".thumb[data-dataset=plane]")  # a regression data set switches the problem
    expect(page.locator("#problem")).to_have_value("regression")
    expect(page.locator("#acc-box")).to_be_hidden()
    expect(page.locator("#loss-name")).to_have_text("(mean squared error)")
    page.click("#step")
    wait_epoch(page, 1)
    assert page.errors == []


def test_a_link_reproduces_an_experiment(page):
    open_page(page, "#dataset=spiral&hidden=3,3,3&activation=sigmoid&lr=0.1&seed=7&noise=10")
    expect(page.locator("#network .node.hidden")).to_have_count(9)
    expect(page.locator("#activation")).to_have_value("sigmoid")
    expect(page.locator("#lr")).to_have_value("0.1")
    expect(page.locator("#noise-value")).to_have_text("10")
    page.goto(page.base + "/#hidden=2,2")  # edited in the address bar: applied at once
    expect(page.locator("#network .node.hidden")).to_have_count(4)
    page.goto("about:blank")
    open_page(page, "#hidden=99")  # a bad link, opened afresh: a message, and the defaults
    expect(page.locator("#toast")).to_contain_text("hidden must be a list")
    expect(page.locator("#network .node.hidden")).to_have_count(6)
    assert "hidden=4,2" in page.url


def test_upload_a_csv(page, tmp_path):
    rows = ["weight,height,species,id"]
    for i in range(80):
        a, b = (i * 37) % 17 - 8, (i * 11) % 13 - 6
        rows.append(f"{a},{b},{'setosa' if a + b > 0 else 'virginica'},{int(a + b > 0)}")
    path = tmp_path / "flowers.csv"
    path.write_text("\n".join(rows) + "\n")
    open_page(page)
    page.click("#upload-box summary")
    page.set_input_files("#csv-file", str(path))
    expect(page.locator("#csv-columns")).to_be_visible()
    expect(page.locator("#csv-message")).to_contain_text("80 rows")
    page.select_option("#csv-x1", "weight")
    page.select_option("#csv-x2", "height")
    page.select_option("#csv-target", "id")
    page.click("#csv-use")
    expect(page.locator("#csv-message")).to_contain_text("Training on flowers.csv")
    assert "dataset=csv" in page.url
    page.click("#step")
    wait_epoch(page, 1)
    # a file without two numeric columns: the server's reason, on the page
    bad = tmp_path / "names.csv"
    bad.write_text("name,city\n" + "ann,oslo\n" * 20)
    page.set_input_files("#csv-file", str(bad))
    expect(page.locator("#csv-message")).to_contain_text("at least two numeric columns")
    assert page.errors == []


def test_step_inspector_shows_the_engines_numbers(page):
    open_page(page)
    page.click("#step")
    wait_epoch(page, 1)
    page.click("#points-layer", position={"x": 160, "y": 160})  # the point nearest the middle
    expect(page.locator("#inspect-point")).to_contain_text("point #")
    page.click("#inspect-step")
    rows = page.locator("#inspect-neurons tbody tr")
    expect(rows).to_have_count(4 + 2 + 1)
    expect(page.locator("#network .ins-label")).to_have_count(4 + 2 + 1)
    values = page.eval_on_selector_all(
        "#inspect-neurons tbody tr",
        "rows => rows.map(r => [...r.cells].slice(1).map(c => Number(c.dataset.value)))")
    for z, a, dL_da, dL_dz in values[:-1]:  # hidden tanh neurons: a = tanh(z)
        assert a == pytest.approx(math.tanh(z), abs=1e-9)
        assert dL_dz == pytest.approx(dL_da * (1 - a * a), abs=1e-9)  # the chain rule
    z, a, _, _ = values[-1]
    assert a == pytest.approx(1 / (1 + math.exp(-z)), abs=1e-9)  # the sigmoid output
    weights = page.locator("#inspect-weights tbody tr")
    expect(weights).to_have_count(2 * 4 + 4 + 4 * 2 + 2 + 2 + 1)
    first = page.locator("#inspect-neurons tbody tr").first.locator("td").nth(1).inner_text()
    assert re.fullmatch(r"−?[0-9.e−+]+", first)
    assert page.errors == []


def test_screenshot_for_the_readme(page):
    open_page(page, "#dataset=xor&hidden=6,4&activation=tanh&lr=0.03&features=x1,x2&seed=3"
                    "&data_seed=2&noise=5")
    page.click("#play")
    wait_epoch(page, 120)
    page.click("#play")
    page.check("#show-test")
    page.click("#points-layer", position={"x": 250, "y": 80})
    page.click("#inspect-step")
    expect(page.locator("#inspect-neurons tbody tr")).to_have_count(6 + 4 + 1)
    page.click("#script-show")
    expect(page.locator("#script")).to_contain_text("model.train_step")
    page.wait_for_timeout(300)
    shot = ARTIFACTS / "playground.png"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=shot, full_page=True)
    assert shot.stat().st_size > 50_000
    if os.environ.get("GLASSNET_UPDATE_SCREENSHOT") == "1":
        shutil.copyfile(shot, README_SHOT)
    assert page.errors == []
