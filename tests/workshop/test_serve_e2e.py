"""`kubelab serve` end to end: a real headless Chromium loads the page, types a command, sees its output.

Needs Debian's chromium and chromium-driver (installed by .ci/run) and selenium; skipped without them.
Everything stays on loopback, and the server is stopped at the end whatever happens.
"""

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")
selenium = pytest.importorskip("selenium")
pytestmark = pytest.mark.skipif(not (CHROMIUM and DRIVER), reason="chromium and chromium-driver are not installed")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def server(tmp_path):
    port = free_port()
    env = dict(os.environ, KUBELAB_WORKSHOP_DIR=str(tmp_path), TEXTUAL_ANIMATIONS="none")
    proc = subprocess.Popen([sys.executable, "-m", "tutor", "serve", "--host", "127.0.0.1", "--port", str(port)],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(url, timeout=2) as response:
                    assert response.status == 200
                    break
            except OSError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    output = proc.stdout.read().decode() if proc.poll() is not None else ""
                    raise AssertionError(f"server did not start: {output}") from None
                time.sleep(0.3)
        yield url, tmp_path
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture
def browser(tmp_path):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage", "--window-size=1400,1000",
                 # no WebGL: xterm.js falls back to its DOM renderer, whose rows hold the screen text
                 "--disable-webgl", "--disable-3d-apis", f"--user-data-dir={tmp_path / 'chrome'}"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(DRIVER), options=options)
    driver.set_page_load_timeout(30)
    try:
        yield driver
    finally:
        driver.quit()


def screen_text(driver) -> str:
    return driver.execute_script(
        "const rows = document.querySelector('.xterm-rows');"
        "return rows ? rows.innerText : document.body.innerText;").replace("\xa0", " ")


def wait_for(driver, needle: str, timeout: float = 60) -> str:
    deadline = time.monotonic() + timeout
    text = ""
    while time.monotonic() < deadline:
        text = screen_text(driver)
        if needle in text:
            return text
        time.sleep(0.3)
    raise AssertionError(f"{needle!r} never appeared; the screen shows:\n{text}")


def test_serve_in_a_real_browser(server, browser):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    url, workshop_dir = server
    browser.get(url)
    wait_for(browser, "Kubernetes Services, hands on")
    # a click on the first lesson's title opens it, and gives xterm.js the keyboard (its hidden textarea)
    rows = browser.find_elements("css selector", ".xterm-rows > div")
    row = next(r for r in rows if 0 <= r.get_attribute("textContent").find("Why Services exist") < 40)
    text = row.get_attribute("textContent")
    cell = row.size["width"] / max(1, len(text))
    ActionChains(browser).move_to_element_with_offset(
        row, int((text.index("Why Services exist") + 3) * cell - row.size["width"] / 2), 0).click().perform()
    time.sleep(0.5)
    ActionChains(browser).send_keys(Keys.ENTER).perform()  # open it, if the click only highlighted it
    wait_for(browser, "controlplane:~$")
    time.sleep(1)
    ActionChains(browser).send_keys("kubectl get nodes").perform()
    ActionChains(browser).send_keys(Keys.ENTER).perform()
    text = wait_for(browser, "node02")
    assert "controlplane   Ready    control-plane" in text
    # each connection ran in its own fresh home under the workshop directory
    homes = [p for p in workshop_dir.iterdir() if p.name.startswith("kubelab-learner-")]
    assert len(homes) == 1 and (homes[0] / "progress.json").exists()
