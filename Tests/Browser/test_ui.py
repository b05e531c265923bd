"""Browser tests of the sealing page, in real headless Chromium driven by Selenium.

The page is served by the built `sealkit ui --cert CERT` with a throwaway key pair; every
result is checked by unsealing it with `sealkit --recovery-unseal` and the private key, so
what the browser sealed is exactly what the controller would decrypt. Run through
scripts/browser-test.sh, which installs Chromium, chromedriver, Selenium and pytest.
"""

import base64
import json
import os
import pathlib
import re
import secrets
import subprocess
import tempfile
import time

import pytest
import yaml
from selenium import webdriver
from selenium.common.exceptions import NoAlertPresentException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select, WebDriverWait

ROOT = pathlib.Path(__file__).resolve().parents[2]
SEALKIT = os.environ.get("SEALKIT_BIN") or str(ROOT / ".build" / "debug" / "sealkit")
SCREENSHOTS = os.environ.get("SEALKIT_UI_SCREENSHOTS")  # a folder: also write docs screenshots
PAGE_FILES = {"", "app.js", "seal.js", "manifest.js", "yaml.js", "style.css", "icon.svg"}
SCOPES = ["strict", "namespace-wide", "cluster-wide"]
NON_ASCII = "pässwörd ✓ 日本語 🔐"


# ---- fixtures -------------------------------------------------------------------------------

@pytest.fixture(scope="session")
def workdir():
    with tempfile.TemporaryDirectory(prefix="sealkit-ui-") as directory:
        # The CLI reads a kubeconfig for its default namespace: keep the user's out of the tests.
        os.environ["KUBECONFIG"] = str(pathlib.Path(directory) / "no-kubeconfig")
        yield pathlib.Path(directory)


@pytest.fixture(scope="session")
def keypair(workdir):
    key, cert = workdir / "tls.key", workdir / "tls.crt"
    subprocess.run([SEALKIT, "keys", "generate", "--key-file", str(key), "--cert-file", str(cert)],
                   check=True, capture_output=True)
    return key, cert


@pytest.fixture(scope="session")
def server(keypair):
    """`sealkit ui` on a free loopback port; yields the page's base URL."""
    process = subprocess.Popen([SEALKIT, "ui", "--cert", str(keypair[1]), "--listen", "127.0.0.1:0"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    line = process.stderr.readline()
    match = re.search(r"http://127\.0\.0\.1:(\d+)/ui/", line)
    if not match:
        process.kill()
        pytest.fail(f"sealkit ui did not start: {line}")
    yield f"http://127.0.0.1:{match.group(1)}"
    process.terminate()
    process.wait(timeout=10)


def make_driver(width=1280, height=1000):
    options = webdriver.ChromeOptions()
    options.binary_location = os.environ.get("CHROMIUM_BIN", "/usr/bin/chromium")
    for argument in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     f"--window-size={width},{height}", "--no-first-run", "--disable-extensions",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync",
                     "--disable-default-apps", "--host-resolver-rules=MAP sealkit.test 127.0.0.1"]:
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"performance": "ALL", "browser": "ALL"})
    service = Service(executable_path=os.environ.get("CHROMEDRIVER_BIN", "/usr/bin/chromedriver"))
    driver = webdriver.Chrome(options=options, service=service)
    driver.set_script_timeout(60)
    return driver


@pytest.fixture(scope="module")
def driver():
    driver = make_driver()
    yield driver
    driver.quit()


# ---- helpers --------------------------------------------------------------------------------

def open_page(driver, base):
    driver.get(base + "/ui/")
    WebDriverWait(driver, 20).until(lambda d: d.execute_script("return document.body.dataset.ready === 'true'"))


def set_value(driver, selector, text):
    """Sets a text control's value as typing would (input event), fast enough for 1 MiB."""
    element = driver.find_element(By.CSS_SELECTOR, selector)
    driver.execute_script(
        "arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('input', {bubbles: true}));",
        element, text)
    return element


def mode(driver, name):
    driver.find_element(By.ID, f"mode-{name}").click()


def scope(driver, name):
    Select(driver.find_element(By.ID, "scope")).select_by_value(name)


def seal(driver):
    """Clicks Seal; returns (output, error) once one of them appears."""
    driver.find_element(By.ID, "seal-button").click()
    WebDriverWait(driver, 60).until(lambda d: d.execute_script(
        "return document.querySelector('#sealed-output').value !== '' || !document.querySelector('#error').hidden"))
    output = driver.execute_script("return document.querySelector('#sealed-output').value")
    error = driver.execute_script("const e = document.querySelector('#error'); return e.hidden ? '' : e.textContent")
    return output, error


def seal_ok(driver):
    output, error = seal(driver)
    assert error == "", error
    return output


def kv_rows(driver, container, items, files=None):
    """Fills key/value rows: items is [(key, text)], files is [(key, path)]."""
    add = driver.find_element(By.ID, f"{container}-add")
    rows = driver.find_elements(By.CSS_SELECTOR, f"#{container}-rows .row")
    entries = [(key, text, None) for key, text in items] + [(key, None, path) for key, path in (files or [])]
    for index, (key, text, path) in enumerate(entries):
        if index >= len(rows):
            add.click()
            rows = driver.find_elements(By.CSS_SELECTOR, f"#{container}-rows .row")
        row = rows[index]
        row.find_element(By.CSS_SELECTOR, ".row-key").clear()
        row.find_element(By.CSS_SELECTOR, ".row-key").send_keys(key)
        if path is not None:
            row.find_element(By.CSS_SELECTOR, ".row-file").send_keys(str(path))
        else:
            driver.execute_script("arguments[0].value = arguments[1]", row.find_element(By.CSS_SELECTOR, ".row-value"), text)


def json_documents(text):
    decoder, index, documents = json.JSONDecoder(), 0, []
    while index < len(text):
        while index < len(text) and text[index].isspace():
            index += 1
        if index >= len(text):
            break
        document, index = decoder.raw_decode(text, index)
        documents.append(document)
    return documents


def unseal(keypair, workdir, sealed_text, suffix=".yaml"):
    """`sealkit --recovery-unseal` of the page's output: the Secrets, with data decoded to bytes."""
    path = workdir / f"sealed-{secrets.token_hex(4)}{suffix}"
    path.write_text(sealed_text, encoding="utf-8")
    result = subprocess.run([SEALKIT, "--recovery-unseal", "--recovery-private-key", str(keypair[0]),
                             "-f", str(path), "-o", "json"], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    secrets_out = json_documents(result.stdout)
    for secret in secrets_out:
        secret["bytes"] = {key: base64.b64decode(value) for key, value in (secret.get("data") or {}).items()}
    return secrets_out


def cli_seal(keypair, workdir, secret_text, *arguments):
    path = workdir / f"secret-{secrets.token_hex(4)}.yaml"
    path.write_text(secret_text, encoding="utf-8")
    result = subprocess.run([SEALKIT, "--cert", str(keypair[1]), "-f", str(path), "-o", "yaml", *arguments],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return result.stdout


def masked(text):
    """A SealedSecret's text with every ciphertext replaced, to compare structure with the CLI's."""
    return re.sub(r"(?m)^(\s+\S+: )[A-Za-z0-9+/]{200,}={0,2}$", r"\1CIPHERTEXT", text)


def assert_no_alert(driver):
    with pytest.raises(NoAlertPresentException):
        driver.switch_to.alert.text


SECRET_YAML = """\
# a comment
apiVersion: v1
kind: Secret
metadata:
  name: db
  namespace: prod
  labels: {app: web, tier: "back end"}
  annotations:
    note: 'kept'
    kubectl.kubernetes.io/last-applied-configuration: |
      {"stringData": {"password": "must not be copied"}}
  uid: 1234-abcd
  creationTimestamp: "2024-01-01T00:00:00Z"
type: Opaque
data:
  binary: AAEC/f7/
  empty-data: ""
stringData:
  password: "%s"
  empty: ""
  multiline: |
    line one
    line two
""" % NON_ASCII


# ---- tests ----------------------------------------------------------------------------------

@pytest.mark.parametrize("scope_name", SCOPES)
def test_secret_mode_seals_what_the_cli_seals(driver, server, keypair, workdir, scope_name):
    open_page(driver, server)
    set_value(driver, "#secret-input", SECRET_YAML)
    scope(driver, scope_name)
    output = seal_ok(driver)
    # Same structure, byte for byte apart from the ciphertexts, as `sealkit --scope … -o yaml`.
    assert masked(output) == masked(cli_seal(keypair, workdir, SECRET_YAML, "--scope", scope_name))
    assert "must not be copied" not in output
    [secret] = unseal(keypair, workdir, output)
    assert secret["metadata"]["name"] == "db" and secret["metadata"]["namespace"] == "prod"
    assert secret["bytes"] == {
        "binary": bytes([0, 1, 2, 0xfd, 0xfe, 0xff]), "empty-data": b"", "empty": b"",
        "password": NON_ASCII.encode(), "multiline": b"line one\nline two\n",
    }
    sealed = yaml.safe_load(output)
    # Server-set fields and kubectl's copy of the plaintext stay out of the template.
    template_metadata = sealed["spec"]["template"]["metadata"]
    assert "uid" not in template_metadata and "creationTimestamp" not in template_metadata
    assert "kubectl.kubernetes.io/last-applied-configuration" not in template_metadata["annotations"]
    assert template_metadata["labels"] == {"app": "web", "tier": "back end"}
    annotations = sealed["metadata"].get("annotations") or {}
    expected = {"strict": {}, "namespace-wide": {"sealedsecrets.bitnami.com/namespace-wide": "true"},
                "cluster-wide": {"sealedsecrets.bitnami.com/cluster-wide": "true"}}[scope_name]
    assert annotations == expected
    for key, value in expected.items():
        assert sealed["spec"]["template"]["metadata"]["annotations"][key] == value
    assert all(value.startswith("Ag") for value in sealed["spec"]["encryptedData"].values())


def test_secret_mode_json_and_several_documents(driver, server, keypair, workdir):
    open_page(driver, server)
    first = {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "one", "namespace": "dev"},
             "stringData": {"token": NON_ASCII}}
    second = {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "two", "namespace": "dev"},
              "data": {"key": base64.b64encode(b"\x00secret\xff").decode()}}
    set_value(driver, "#secret-input", json.dumps(first) + "\n" + json.dumps(second, indent=2))
    output = seal_ok(driver)
    assert output.count("kind: SealedSecret") == 2
    unsealed = unseal(keypair, workdir, output)
    assert [s["metadata"]["name"] for s in unsealed] == ["one", "two"]
    assert unsealed[0]["bytes"] == {"token": NON_ASCII.encode()}
    assert unsealed[1]["bytes"] == {"key": b"\x00secret\xff"}
    # Several YAML documents too.
    set_value(driver, "#secret-input", "---\n" + yaml.safe_dump(first, allow_unicode=True) + "---\n"
              + yaml.safe_dump(second) + "...\n")
    output = seal_ok(driver)
    assert [s["metadata"]["name"] for s in unseal(keypair, workdir, output)] == ["one", "two"]


def test_data_base64_is_read_as_go_reads_it(driver, server, keypair, workdir):
    """Go's StdEncoding is not strict: "YR==" (non-zero bits after the last byte) is "a" for
    kubeseal and the controller, so it is for the page; newlines inside are skipped."""
    open_page(driver, server)
    set_value(driver, "#secret-input", "apiVersion: v1\nkind: Secret\nmetadata: {name: db, namespace: prod}\n"
              "data:\n  loose: YR==\n  two: YWL=\n  wrapped: \"YW\\nI=\"\n")
    output = seal_ok(driver)
    unsealed = unseal(keypair, workdir, output)
    assert unsealed[0]["bytes"] == {"loose": b"a", "two": b"ab", "wrapped": b"ab"}


def test_one_mib_values(driver, server, keypair, workdir):
    open_page(driver, server)
    value = "0123456789abcdé" * 65536  # 16 bytes of UTF-8 each: exactly 1 MiB, the most a Secret holds
    assert len(value.encode()) == 1 << 20
    document = {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "big", "namespace": "prod"},
                "stringData": {"big": value}}
    set_value(driver, "#secret-input", json.dumps(document))
    [secret] = unseal(keypair, workdir, seal_ok(driver))
    assert secret["bytes"]["big"] == value.encode()

    # A 1 MiB binary file in key/value mode, read with the File API.
    blob = secrets.token_bytes(1 << 20)
    path = workdir / "blob.bin"
    path.write_bytes(blob)
    mode(driver, "kv")
    driver.find_element(By.ID, "kv-name").send_keys("files")
    driver.find_element(By.ID, "kv-namespace").send_keys("prod")
    kv_rows(driver, "kv", [], files=[("blob.bin", path)])
    [secret] = unseal(keypair, workdir, seal_ok(driver))
    assert secret["bytes"] == {"blob.bin": blob}


@pytest.mark.parametrize("scope_name", SCOPES)
def test_key_value_mode(driver, server, keypair, workdir, scope_name):
    open_page(driver, server)
    mode(driver, "kv")
    scope(driver, scope_name)
    driver.find_element(By.ID, "kv-name").send_keys("app-credentials")
    driver.find_element(By.ID, "kv-namespace").send_keys("team-a")
    driver.find_element(By.ID, "kv-type").clear()
    driver.find_element(By.ID, "kv-type").send_keys("kubernetes.io/basic-auth")
    small = workdir / "small.txt"
    small.write_bytes("from a file\n".encode())
    kv_rows(driver, "kv", [("username", "admin"), ("password", NON_ASCII), ("empty", "")],
            files=[("note.txt", small)])
    output = seal_ok(driver)
    sealed = yaml.safe_load(output)
    assert sealed["spec"]["template"]["type"] == "kubernetes.io/basic-auth"
    assert list(sealed["spec"]["encryptedData"]) == ["empty", "note.txt", "password", "username"]
    [secret] = unseal(keypair, workdir, output)
    assert secret["type"] == "kubernetes.io/basic-auth"
    assert secret["bytes"] == {"username": b"admin", "password": NON_ASCII.encode(), "empty": b"",
                               "note.txt": b"from a file\n"}


@pytest.mark.parametrize("scope_name", SCOPES)
def test_raw_mode(driver, server, keypair, workdir, scope_name):
    open_page(driver, server)
    mode(driver, "raw")
    scope(driver, scope_name)
    driver.find_element(By.ID, "raw-name").send_keys("db")
    driver.find_element(By.ID, "raw-namespace").send_keys("prod")
    for value in [NON_ASCII, ""]:
        set_value(driver, "#raw-value", value)
        ciphertext = seal_ok(driver)
        assert re.fullmatch(r"[A-Za-z0-9+/]+={0,2}", ciphertext)
        annotations = {"strict": {}, "namespace-wide": {"sealedsecrets.bitnami.com/namespace-wide": "true"},
                       "cluster-wide": {"sealedsecrets.bitnami.com/cluster-wide": "true"}}[scope_name]
        sealed = {"apiVersion": "bitnami.com/v1alpha1", "kind": "SealedSecret",
                  "metadata": {"name": "db", "namespace": "prod", "annotations": annotations},
                  "spec": {"encryptedData": {"value": ciphertext}}}
        [secret] = unseal(keypair, workdir, json.dumps(sealed), ".json")
        assert secret["bytes"] == {"value": value.encode()}
        if scope_name == "strict":
            # Bound to the name: the same ciphertext under another name does not open.
            sealed["metadata"]["name"] = "other"
            path = workdir / "renamed.json"
            path.write_text(json.dumps(sealed))
            result = subprocess.run([SEALKIT, "--recovery-unseal", "--recovery-private-key", str(keypair[0]),
                                     "-f", str(path)], capture_output=True, text=True)
            assert result.returncode != 0


def test_raw_mode_file(driver, server, keypair, workdir):
    open_page(driver, server)
    mode(driver, "raw")
    scope(driver, "cluster-wide")
    blob = secrets.token_bytes(4096)
    path = workdir / "raw.bin"
    path.write_bytes(blob)
    driver.find_element(By.ID, "raw-file").send_keys(str(path))
    ciphertext = seal_ok(driver)
    sealed = {"apiVersion": "bitnami.com/v1alpha1", "kind": "SealedSecret",
              "metadata": {"name": "any", "namespace": "where",
                           "annotations": {"sealedsecrets.bitnami.com/cluster-wide": "true"}},
              "spec": {"encryptedData": {"value": ciphertext}}}
    [secret] = unseal(keypair, workdir, json.dumps(sealed), ".json")
    assert secret["bytes"] == {"value": blob}


@pytest.mark.parametrize("scope_name", SCOPES)
def test_merge_keeps_other_ciphertexts(driver, server, keypair, workdir, scope_name):
    existing = cli_seal(keypair, workdir, """\
apiVersion: v1
kind: Secret
metadata: {name: merged, namespace: prod, labels: {app: web}}
stringData: {keep: unchanged, replace: old value}
""", "--scope", scope_name)
    before = yaml.safe_load(existing)["spec"]["encryptedData"]
    open_page(driver, server)
    mode(driver, "merge")
    set_value(driver, "#merge-input", existing)
    kv_rows(driver, "merge", [("replace", "new välue"), ("added", "")])
    output = seal_ok(driver)
    after = yaml.safe_load(output)["spec"]["encryptedData"]
    assert re.search(r"(?m)^    keep: " + re.escape(before["keep"]) + "$", output), "untouched ciphertext kept byte for byte"
    assert after["keep"] == before["keep"]
    assert after["replace"] != before["replace"]
    assert list(after) == ["keep", "replace", "added"]
    [secret] = unseal(keypair, workdir, output)
    assert secret["bytes"] == {"keep": b"unchanged", "replace": "new välue".encode(), "added": b""}

    # JSON in, JSON out, same guarantee.
    as_json = json.dumps(yaml.safe_load(existing), indent=2)
    set_value(driver, "#merge-input", as_json)
    output = seal_ok(driver)
    merged = json.loads(output)
    assert merged["spec"]["encryptedData"]["keep"] == before["keep"]
    [secret] = unseal(keypair, workdir, output, ".json")
    assert secret["bytes"]["replace"] == "new välue".encode()


SECRET_VALUE = "hunter2-do-not-echo"


@pytest.mark.parametrize("text, expected", [
    ("apiVersion: v1\nkind: Secret\nmetadata:\n  name: x\n namespace: y\nstringData:\n  a: %s\n" % SECRET_VALUE,
     "cannot read the input as YAML: line"),
    ("apiVersion: v1\nkind: Secret\nmetadata:\n  namespace: prod\nstringData:\n  a: %s\n" % SECRET_VALUE,
     "the Secret has no metadata.name"),
    ("apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\nstringData:\n  a: %s\n" % SECRET_VALUE,
     "strict scope needs a namespace"),
    ("apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\n  namespace: prod\ndata:\n  token: %s!\n" % SECRET_VALUE,
     'item "token": invalid base64 in data: illegal base64 data at input byte'),
    ('{"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "db", "namespace": "p"}, "stringData": {"a": "%s"}'
     % SECRET_VALUE, "cannot read the input as YAML"),
    ("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: db, namespace: p}\ndata: {a: %s}\n" % SECRET_VALUE,
     "expected a v1 Secret, found v1 ConfigMap"),
    ("key: &anchor %s\n" % SECRET_VALUE, "anchors and aliases are not supported"),
])
def test_errors_are_inline_one_line_and_never_echo_values(driver, server, text, expected):
    open_page(driver, server)
    set_value(driver, "#secret-input", text)
    output, error = seal(driver)
    assert output == ""
    assert expected in error
    assert "\n" not in error and SECRET_VALUE not in error
    assert driver.find_element(By.ID, "error").is_displayed()
    assert driver.find_element(By.ID, "copy-button").get_attribute("disabled") is not None
    assert_no_alert(driver)


def test_other_mode_errors(driver, server):
    open_page(driver, server)
    mode(driver, "raw")
    set_value(driver, "#raw-value", SECRET_VALUE)
    driver.find_element(By.ID, "raw-namespace").send_keys("prod")
    output, error = seal(driver)
    assert output == "" and "strict scope needs a name" in error and SECRET_VALUE not in error
    mode(driver, "kv")
    driver.find_element(By.ID, "kv-name").send_keys("x")
    kv_rows(driver, "kv", [("bad key!", SECRET_VALUE)])
    output, error = seal(driver)
    assert output == "" and "invalid key" in error and SECRET_VALUE not in error
    mode(driver, "merge")
    set_value(driver, "#merge-input", "apiVersion: v1\nkind: Secret\nmetadata: {name: x}\n")
    kv_rows(driver, "merge", [("a", SECRET_VALUE)])
    output, error = seal(driver)
    assert output == "" and "expected a bitnami.com/v1alpha1 SealedSecret" in error
    assert_no_alert(driver)


def test_network_log_shows_only_the_page_and_the_certificate(server, keypair, workdir):
    """A fresh browser does everything a user would; Chromium's own network log then shows no
    request but the page's files and /v1/cert.pem, all GETs without a body."""
    driver = make_driver()
    try:
        open_page(driver, server)
        set_value(driver, "#secret-input", SECRET_YAML)
        seal_ok(driver)
        mode(driver, "kv")
        driver.find_element(By.ID, "kv-name").send_keys("n")
        driver.find_element(By.ID, "kv-namespace").send_keys("ns")
        path = workdir / "net.bin"
        path.write_bytes(b"file content")
        kv_rows(driver, "kv", [("a", SECRET_VALUE)], files=[("f", path)])
        seal_ok(driver)
        mode(driver, "raw")
        driver.find_element(By.ID, "raw-name").send_keys("n")
        driver.find_element(By.ID, "raw-namespace").send_keys("ns")
        set_value(driver, "#raw-value", SECRET_VALUE)
        seal_ok(driver)
        existing = cli_seal(keypair, workdir, "kind: Secret\napiVersion: v1\nmetadata: {name: m, namespace: p}\n"
                                              "stringData: {a: b}\n")
        mode(driver, "merge")
        set_value(driver, "#merge-input", existing)
        kv_rows(driver, "merge", [("c", SECRET_VALUE)])
        seal_ok(driver)
        driver.find_element(By.ID, "copy-button").click()
        time.sleep(0.5)

        requests = []
        for entry in driver.get_log("performance"):
            message = json.loads(entry["message"])["message"]
            if message["method"] == "Network.requestWillBeSent":
                requests.append(message["params"]["request"])
        urls = {request["url"] for request in requests}
        allowed = {f"{server}/ui/{name}" for name in PAGE_FILES} | {f"{server}/v1/cert.pem"}
        assert urls - allowed == set(), f"unexpected requests: {urls - allowed}"
        assert f"{server}/v1/cert.pem" in urls and f"{server}/ui/seal.js" in urls
        for request in requests:
            assert request["method"] == "GET", request["url"]
            assert not request.get("hasPostData") and "postData" not in request, request["url"]
            assert SECRET_VALUE not in json.dumps(request)
        # Nothing was logged to the console either.
        assert [e for e in driver.get_log("browser") if e["level"] == "SEVERE"] == []
    finally:
        driver.quit()


def test_insecure_context_is_refused_in_one_line(server):
    """On plain http at a name other than localhost, WebCrypto is missing: the page says so."""
    driver = make_driver()
    try:
        port = server.rsplit(":", 1)[1]
        driver.get(f"http://sealkit.test:{port}/ui/")
        WebDriverWait(driver, 20).until(lambda d: d.find_element(By.ID, "error").is_displayed())
        error = driver.find_element(By.ID, "error").text
        assert "secure context" in error and "\n" not in error
        assert driver.find_element(By.ID, "seal-button").get_attribute("disabled") is not None
        assert_no_alert(driver)
    finally:
        driver.quit()


def test_keyboard_only(driver, server, keypair, workdir):
    open_page(driver, server)
    driver.execute_script("document.activeElement.blur(); window.focus();")
    reached = []
    for _ in range(40):
        ActionChains(driver).send_keys(Keys.TAB).perform()
        reached.append(driver.switch_to.active_element.get_attribute("id"))
    for control in ["mode-secret", "scope", "secret-input", "seal-button"]:
        assert control in reached, f"{control} not reachable with Tab: {reached}"
    # Choose key/value mode with the arrow keys, then seal a Secret typed in Secret mode.
    radio = driver.find_element(By.ID, "mode-secret")
    driver.execute_script("arguments[0].focus()", radio)
    driver.switch_to.active_element.send_keys(Keys.ARROW_RIGHT)
    assert driver.find_element(By.ID, "mode-kv").is_selected()
    assert driver.find_element(By.ID, "panel-kv").is_displayed()
    driver.switch_to.active_element.send_keys(Keys.ARROW_LEFT)
    assert driver.find_element(By.ID, "panel-secret").is_displayed()
    textarea = driver.find_element(By.ID, "secret-input")
    driver.execute_script("arguments[0].focus()", textarea)
    driver.switch_to.active_element.send_keys(
        "apiVersion: v1\nkind: Secret\nmetadata:\n  name: typed\n  namespace: kb\nstringData:\n  k: typed value")
    driver.switch_to.active_element.send_keys(Keys.CONTROL, Keys.ENTER)
    WebDriverWait(driver, 30).until(lambda d: d.execute_script("return document.querySelector('#sealed-output').value !== ''"))
    [secret] = unseal(keypair, workdir, driver.find_element(By.ID, "sealed-output").get_property("value"))
    assert secret["bytes"] == {"k": b"typed value"}


def test_every_control_has_a_label(driver, server):
    open_page(driver, server)
    for name in ["secret", "kv", "raw", "merge"]:
        mode(driver, name)
        unlabelled = driver.execute_script("""
            return [...document.querySelectorAll('input, select, textarea, button')]
              .filter(e => e.offsetParent !== null || e.type === 'radio')
              .filter(e => !(e.labels && e.labels.length) && !e.getAttribute('aria-label')
                           && !(e.tagName === 'BUTTON' && e.textContent.trim()))
              .map(e => e.id || e.className);""")
        assert unlabelled == [], f"{name}: {unlabelled}"


@pytest.mark.parametrize("width, height", [(320, 800), (3840, 2160)])
def test_readable_from_320_px_to_4k(server, width, height):
    driver = make_driver(width, height)
    try:
        open_page(driver, server)
        for name in ["secret", "kv", "raw", "merge"]:
            mode(driver, name)
            overflow = driver.execute_script("return document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 0, f"{name} scrolls sideways by {overflow}px at {width}px"
        size = driver.execute_script("return parseFloat(getComputedStyle(document.querySelector('textarea')).fontSize)")
        assert size >= (13 if width < 1000 else 18)
    finally:
        driver.quit()


def test_dark_mode_follows_the_system(driver, server):
    open_page(driver, server)
    background = lambda: driver.execute_script("return getComputedStyle(document.body).backgroundColor")
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": [{"name": "prefers-color-scheme", "value": "light"}]})
    light = background()
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": [{"name": "prefers-color-scheme", "value": "dark"}]})
    dark = background()
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": []})
    assert light != dark
    channels = [int(c) for c in re.findall(r"\d+", dark)[:3]]
    assert max(channels) < 60


def shoot(driver, path):
    driver.execute_script("document.activeElement.blur(); window.scrollTo(0, 0);")
    driver.save_screenshot(str(path))


@pytest.mark.skipif(not SCREENSHOTS, reason="set SEALKIT_UI_SCREENSHOTS=DIR to write the README's screenshots")
def test_screenshots(server, keypair, workdir):
    folder = pathlib.Path(SCREENSHOTS)
    folder.mkdir(parents=True, exist_ok=True)
    driver = make_driver(1600, 1150)
    try:
        open_page(driver, server)
        set_value(driver, "#secret-input", "apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\n  namespace: prod\n"
                                           "stringData:\n  password: correct horse battery staple\n")
        seal_ok(driver)
        shoot(driver, folder / "secret.png")
        mode(driver, "kv")
        driver.find_element(By.ID, "kv-name").send_keys("registry")
        driver.find_element(By.ID, "kv-namespace").send_keys("ci")
        kv_rows(driver, "kv", [("username", "robot"), ("password", "s3cr3t")])
        seal_ok(driver)
        shoot(driver, folder / "key-value.png")
        mode(driver, "raw")
        driver.find_element(By.ID, "raw-name").send_keys("db")
        driver.find_element(By.ID, "raw-namespace").send_keys("prod")
        set_value(driver, "#raw-value", "correct horse battery staple")
        seal_ok(driver)
        shoot(driver, folder / "raw.png")
        existing = cli_seal(keypair, workdir, "apiVersion: v1\nkind: Secret\nmetadata: {name: db, namespace: prod}\n"
                                              "stringData: {password: x}\n")
        mode(driver, "merge")
        set_value(driver, "#merge-input", existing)
        kv_rows(driver, "merge", [("api-token", "tok_123")])
        seal_ok(driver)
        shoot(driver, folder / "merge.png")
    finally:
        driver.quit()


# ---- the controller's page ------------------------------------------------------------------

def free_port():
    import socket
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def controller(workdir):
    """kube-test-server and sealkit-controller (built beside sealkit); yields (page URL, kubeconfig)."""
    binaries = pathlib.Path(SEALKIT).parent
    if not (binaries / "sealkit-controller").exists() or not (binaries / "kube-test-server").exists():
        message = "sealkit-controller and kube-test-server are not built beside sealkit"
        pytest.fail(message) if os.environ.get("CI") else pytest.skip(message)
    server = subprocess.Popen([str(binaries / "kube-test-server"), "--port", "0", "--token", "browser-test",
                               "--log-level", "warning"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    processes = [server]
    try:
        api = server.stdout.readline().strip()
        assert api.startswith("http://127.0.0.1:"), api
        kubeconfig = workdir / "controller.kubeconfig"
        kubeconfig.write_text(f"""apiVersion: v1
kind: Config
current-context: test
clusters:
- name: test
  cluster: {{server: "{api}"}}
users:
- name: test
  user: {{token: browser-test}}
contexts:
- name: test
  context: {{cluster: test, user: test}}
""")
        port = free_port()
        log = open(workdir / "controller.log", "w")
        processes.append(subprocess.Popen(
            [str(binaries / "sealkit-controller"), "--kubeconfig", str(kubeconfig),
             "--listen-addr", f"127.0.0.1:{port}", "--listen-metrics-addr", f"127.0.0.1:{free_port()}"],
            env={**os.environ, "POD_NAMESPACE": "kube-system"}, stdout=log, stderr=log))
        import urllib.request
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/v1/cert.pem", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            assert time.monotonic() < deadline, (workdir / "controller.log").read_text()
            time.sleep(0.5)
        yield f"http://127.0.0.1:{port}", kubeconfig
    finally:
        for process in reversed(processes):
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def test_the_controller_serves_the_page_and_unseals_what_it_sealed(controller, workdir):
    """The controller's own page (reached at /, as a port-forward would), sealing with the
    controller's key; the controller then unseals the result into a Secret."""
    base, kubeconfig = controller
    driver = make_driver()
    try:
        driver.get(base + "/")
        WebDriverWait(driver, 20).until(lambda d: d.execute_script("return document.body.dataset.ready === 'true'"))
        assert driver.current_url == base + "/ui/"
        fingerprint = driver.find_element(By.ID, "cert-fingerprint").text
        assert fingerprint.startswith("SHA256:")
        set_value(driver, "#secret-input", "apiVersion: v1\nkind: Secret\nmetadata:\n  name: from-browser\n"
                                           "  namespace: prod\n  labels: {app: web}\nstringData:\n"
                                           f"  password: \"{NON_ASCII}\"\n  empty: \"\"\n")
        scope(driver, "namespace-wide")
        output = seal_ok(driver)
        requests = [json.loads(e["message"])["message"]["params"]["request"] for e in driver.get_log("performance")
                    if json.loads(e["message"])["message"]["method"] == "Network.requestWillBeSent"]
        assert {r["url"] for r in requests} - ({f"{base}/ui/{n}" for n in PAGE_FILES} | {f"{base}/", f"{base}/v1/cert.pem"}) == set()
        assert all(r["method"] == "GET" and not r.get("hasPostData") for r in requests)
    finally:
        driver.quit()

    # Straight to the test API server (kubectl sends no token over plain http).
    import urllib.error
    import urllib.request
    api = kubeconfig.read_text().split('server: "')[1].split('"')[0]

    def call(method, path, body=None):
        request = urllib.request.Request(api + path, method=method, data=body,
                                         headers={"Authorization": "Bearer browser-test", "Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()

    status, body = call("POST", "/apis/bitnami.com/v1alpha1/namespaces/prod/sealedsecrets",
                        json.dumps(yaml.safe_load(output)).encode())
    assert status == 201, body
    deadline = time.monotonic() + 30
    while True:
        status, body = call("GET", "/api/v1/namespaces/prod/secrets/from-browser")
        if status == 200:
            break
        assert time.monotonic() < deadline, (workdir / "controller.log").read_text()[-2000:]
        time.sleep(0.5)
    secret = json.loads(body)
    assert {key: base64.b64decode(value) for key, value in secret["data"].items()} == {
        "password": NON_ASCII.encode(), "empty": b""}
    assert secret["metadata"]["labels"] == {"app": "web"}
