// The devnet's dashboard in a real browser: Debian's Chromium, driven by playwright-core,
// against a devnet this test starts. Screenshots go to target/browser-screenshots (not
// committed).
//
//   TRIBUTARY_BIN   the `tributary` binary (default: target/debug/tributary)
//   CHROMIUM        the browser (default: /usr/bin/chromium)

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, mkdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const bin = process.env.TRIBUTARY_BIN || join(root, "target", "debug", "tributary");
const shots = join(root, "target", "browser-screenshots");
const port = 27200 + Math.floor(Math.random() * 500);
const base = `http://127.0.0.1:${port}`;
let devnet, data, browser;

async function api(path, body) {
  const res = await fetch(base + path, body === undefined ? {} : {
    method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body),
  });
  const json = await res.json();
  if (!res.ok) throw new Error(`${path}: ${json.error}`);
  return json;
}

before(async () => {
  mkdirSync(shots, { recursive: true });
  data = mkdtempSync(join(tmpdir(), "tributary-browser-"));
  devnet = spawn(bin, ["devnet", "--data", data, "--listen", `127.0.0.1:${port}`, "--tick-ms", "0", "--keeper-secs", "0"], { stdio: ["ignore", "ignore", "pipe"] });
  let log = "";
  devnet.stderr.on("data", (d) => { log += d; });
  for (let i = 0; i < 600; i++) {
    try { await api("/health"); break; } catch { await new Promise((r) => setTimeout(r, 200)); }
    if (devnet.exitCode !== null) throw new Error(`the devnet stopped: ${log}`);
    if (i === 599) throw new Error(`the devnet did not start: ${log}`);
  }
  // a day and a crank, so the charts have a history
  await api("/advance", { seconds: 86400 });
  await api("/tx", { sender: "keeper", contract: "hub", msg: { crank: {} } });
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
});

after(async () => {
  await browser?.close();
  devnet?.kill();
  if (data) rmSync(data, { recursive: true, force: true });
});

/** Opens `hash` and waits until the page has drawn itself; returns the page and its errors. */
async function open(hash, { width = 1280, height = 900 } = {}) {
  const page = await browser.newPage({ viewport: { width, height } });
  const errors = [];
  page.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });
  page.on("pageerror", (e) => errors.push(String(e)));
  await page.goto(`${base}/${hash}`);
  await page.waitForSelector("main[data-ready]", { timeout: 30000 });
  return { page, errors };
}

async function redrawn(page, since) {
  await page.waitForFunction((t) => Number(document.querySelector("main").dataset.ready) > t, since, { timeout: 30000 });
}
const ready = (page) => page.evaluate(() => Number(document.querySelector("main").dataset.ready));
const units = (page, id) => page.evaluate((i) => BigInt(document.querySelector(`[data-testid="${i}"]`).dataset.units).toString(), id).then(BigInt);

test("every page loads with no console errors, at desktop and phone width", async () => {
  for (const name of ["overview", "account", "compare", "restaking", "events"]) {
    for (const [w, h, tag] of [[1280, 900, "desktop"], [390, 844, "phone"]]) {
      const { page, errors } = await open(`#/${name}`, { width: w, height: h });
      if (name === "compare") {
        await page.waitForSelector("[data-testid=compare-table]", { timeout: 60000 });
        const scripted = await page.textContent("[data-testid=compare-scenario]");
        assert.match(scripted, /value after 30 days/);
        assert.match(scripted, /validator slash/);
      }
      const text = await page.textContent("main");
      assert.ok(!/error|failed/i.test(await page.evaluate(() => [...document.querySelectorAll(".error")].map((e) => e.textContent).join(" "))), `${name}: an error is shown`);
      assert.ok(text.length > 100, `${name} drew nothing`);
      // numbers for people: no raw base units or unix seconds anywhere
      assert.ok(!/\b1[67]\d{8}\b/.test(text), `${name} shows a unix time`);
      await page.screenshot({ path: join(shots, `${name}-${tag}.png`), fullPage: tag === "desktop" });
      assert.deepEqual(errors, [], `${name} (${tag}) logged errors`);
      await page.close();
    }
  }
});

test("staking through the form changes the balances by the previewed amount", async () => {
  const { page, errors } = await open("#/account");
  const native = await units(page, "bal-native");
  const lst = await units(page, "bal-lst");
  await page.fill("#stake input[name=amount]", "1,234.5");
  await page.waitForFunction(() => document.querySelector("[data-testid=stake-preview]").dataset.receive);
  const preview = BigInt(await page.getAttribute("[data-testid=stake-preview]", "data-receive"));
  assert.ok(preview > 0n);
  const t = await ready(page);
  await page.click("#stake button[type=submit]");
  await redrawn(page, t);
  await page.waitForFunction((n) => document.querySelector("[data-testid=bal-native]")?.dataset.units !== n, native.toString());
  assert.equal(await units(page, "bal-native"), native - 1_234_500_000n);
  const got = (await units(page, "bal-lst")) - lst;
  // the preview prices at the hub's rate as displayed (12 significant digits): within 1e-9
  const diff = got > preview ? got - preview : preview - got;
  assert.ok(diff * 1_000_000_000n <= preview, `received ${got} LST, previewed ${preview}`);
  await page.screenshot({ path: join(shots, "account-after-stake.png") });
  assert.deepEqual(errors, []);
  await page.close();
});

test("an overdraft is refused in the user's terms, on the page", async () => {
  const { page } = await open("#/account");
  await page.fill("#stake input[name=amount]", "1000000");
  await page.click("#stake button[type=submit]");
  await page.waitForSelector("#stake .error");
  const message = await page.textContent("#stake .error");
  assert.match(message, /^alice has [\d,.]+ native; cannot stake 1,000,000$/);
  await page.close();
  const unknown = await open("#/account");
  await unknown.page.fill("#pick-input", "mallory");
  await unknown.page.click("#pick button[type=submit]");
  await unknown.page.waitForSelector("main .error");
  assert.equal(await unknown.page.textContent("main .error"), 'no account "mallory"');
  await unknown.page.evaluate(() => localStorage.setItem("account", "alice"));
  await unknown.page.close();
});

test("an instant exit pays exactly its preview", async () => {
  const { page, errors } = await open("#/account");
  const native = await units(page, "bal-native");
  await page.selectOption("#unstake select[name=route]", "instant");
  await page.fill("#unstake input[name=amount]", "100");
  await page.waitForFunction(() => document.querySelector("[data-testid=unstake-preview]").dataset.receive);
  const preview = BigInt(await page.getAttribute("[data-testid=unstake-preview]", "data-receive"));
  assert.ok(preview > 90_000_000n && preview < 100_000_000n, `${preview}`);
  await page.click("#unstake button[type=submit]");
  await page.waitForFunction((n) => document.querySelector("[data-testid=bal-native]")?.dataset.units !== n, native.toString(), { timeout: 30000 });
  assert.equal((await units(page, "bal-native")) - native, preview);
  assert.deepEqual(errors, []);
  await page.close();
});

test("a validator slash through the API shows in the rate chart and the overview", async () => {
  const { page, errors } = await open("#/overview");
  const before = Number(await page.textContent("[data-testid=lst-rate]"));
  assert.equal(await page.getAttribute("[data-testid=rate-chart]", "data-falls"), "0");
  const t = await ready(page);
  await api("/slash", { validator: "validator1", fraction: "0.1" });
  // the page hears the event and redraws
  await redrawn(page, t);
  await page.waitForFunction(() => document.querySelector("[data-testid=rate-chart]")?.dataset.falls === "1", null, { timeout: 30000 });
  const after = Number(await page.textContent("[data-testid=lst-rate]"));
  assert.ok(after < before * 0.97, `rate ${before} -> ${after}`);
  await page.screenshot({ path: join(shots, "overview-after-slash.png"), fullPage: true });
  assert.deepEqual(errors, []);
  await page.close();
});
