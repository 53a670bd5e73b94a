// Tributary's devnet dashboard: plain JavaScript over the devnet's JSON API, SVG charts drawn
// here, live through the API's server-sent events. No build step, nothing fetched from
// elsewhere.
"use strict";

const UNIT = 1000000n;
const $ = (sel, root = document) => root.querySelector(sel);
const esc = (s) => String(s).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));

// ---- formatting for people ----
function tokens(units, maxDecimals = 6) {
  let v;
  try { v = BigInt(units ?? 0); } catch { return String(units); }
  const neg = v < 0n; if (neg) v = -v;
  const whole = (v / UNIT).toLocaleString("en-US");
  let frac = (v % UNIT).toString().padStart(6, "0").slice(0, maxDecimals).replace(/0+$/, "");
  return (neg ? "−" : "") + whole + (frac ? "." + frac : "");
}
function toUnits(text) {
  const t = String(text).trim().replace(/,/g, "");
  if (!/^\d+(\.\d{0,6})?$/.test(t)) return null;
  const [w, f = ""] = t.split(".");
  return BigInt(w) * UNIT + BigInt(f.padEnd(6, "0"));
}
const pct = (x, d = 2) => (x * 100).toFixed(d) + " %";
const rate = (d) => Number(d).toFixed(6);
function date(sec) {
  return new Date(Number(sec) * 1000).toISOString().slice(0, 16).replace("T", " ") + " UTC";
}
function duration(sec) {
  sec = Math.max(0, Math.round(Number(sec)));
  const d = Math.floor(sec / 86400), h = Math.floor((sec % 86400) / 3600), m = Math.floor((sec % 3600) / 60);
  const p = (n, u) => `${n} ${u}${n === 1 ? "" : "s"}`;
  if (d) return h ? `${p(d, "day")} ${p(h, "hour")}` : p(d, "day");
  if (h) return m ? `${p(h, "hour")} ${p(m, "minute")}` : p(h, "hour");
  if (m) return p(m, "minute");
  return p(sec, "second");
}
const nanosToSec = (ts) => Number(BigInt(ts ?? 0) / 1000000000n);
function when(sec) {
  const now = state.time || sec;
  return `${date(sec)} (${sec >= now ? "in " + duration(sec - now) : duration(now - sec) + " ago"})`;
}

// ---- the API ----
async function api(path, body) {
  const opts = body === undefined ? {} : { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) };
  const res = await fetch(path, opts);
  const text = await res.text();
  let json; try { json = JSON.parse(text); } catch { json = { error: text }; }
  if (!res.ok) throw new Error(json.error || `request failed (${res.status})`);
  return json;
}
const query = (contract, msg) => api("/query", { contract, msg });
const tx = (sender, contract, msg, funds = []) => api("/tx", { sender, contract, msg, funds });
const b64 = (obj) => btoa(JSON.stringify(obj));

const state = { time: 0, contracts: null, account: localStorage.getItem("account") || "alice", slippage: 0.5, history: [] };

async function contracts() {
  if (!state.contracts) state.contracts = await api("/contracts");
  return state.contracts;
}

// ---- charts (SVG) ----
function lineChart(series, { height = 300, yFormat = (v) => v.toFixed(4), xFormat = (v) => String(v), label = "" } = {}) {
  const W = 960, H = height, L = 78, R = 48, T = 10, B = 28;
  const pts = series.flatMap((s) => s.points);
  if (pts.length === 0) return `<p class="muted">No data yet.</p>`;
  let [x0, x1] = [Math.min(...pts.map((p) => p[0])), Math.max(...pts.map((p) => p[0]))];
  let [y0, y1] = [Math.min(...pts.map((p) => p[1])), Math.max(...pts.map((p) => p[1]))];
  if (x1 === x0) { x1 = x0 + 1; }
  if (y1 === y0) { y0 -= Math.abs(y0) * 0.001 || 0.001; y1 += Math.abs(y1) * 0.001 || 0.001; }
  const pad = (y1 - y0) * 0.08; y0 -= pad; y1 += pad;
  const X = (x) => L + ((x - x0) / (x1 - x0)) * (W - L - R);
  const Y = (y) => T + (1 - (y - y0) / (y1 - y0)) * (H - T - B);
  let g = "";
  for (let i = 0; i <= 4; i++) {
    const y = y0 + ((y1 - y0) * i) / 4;
    g += `<line x1="${L}" x2="${W - R}" y1="${Y(y)}" y2="${Y(y)}" stroke="#e5e8ee"/><text x="${L - 6}" y="${Y(y) + 4}" text-anchor="end">${esc(yFormat(y))}</text>`;
  }
  for (let i = 0; i <= 3; i++) {
    const x = x0 + ((x1 - x0) * i) / 3;
    g += `<text x="${X(x)}" y="${H - 8}" text-anchor="middle">${esc(xFormat(x))}</text>`;
  }
  let lines = "";
  for (const s of series) {
    if (s.band) {
      const up = s.band.map((p) => `${X(p[0])},${Y(p[2])}`), down = s.band.slice().reverse().map((p) => `${X(p[0])},${Y(p[1])}`);
      lines += `<polygon points="${up.concat(down).join(" ")}" fill="${s.color}" opacity="${s.opacity ?? 0.18}"/>`;
    }
    if (s.points.length) {
      lines += `<polyline fill="none" stroke="${s.color}" stroke-width="2" points="${s.points.map((p) => `${X(p[0])},${Y(p[1])}`).join(" ")}"/>`;
    }
    for (const m of s.marks || []) lines += `<circle cx="${X(m[0])}" cy="${Y(m[1])}" r="4" fill="${s.color}"/>`;
  }
  const legend = series.filter((s) => s.name).map((s) => `<span><span class="swatch" style="background:${s.color}"></span>${esc(s.name)}</span>`).join("");
  return `<svg class="chart" viewBox="0 0 ${W} ${H}" role="img" aria-label="${esc(label)}">${g}${lines}</svg><div class="legend">${legend}</div>`;
}

// ---- pages ----
const pages = {};

pages.overview = async (main) => {
  const [o, hist, validators, batches, hubConfig, vaultConfig, registry, keeper] = await Promise.all([
    api("/overview"), api("/history"), query("hub", { validators: {} }), query("hub", { batches: {} }),
    query("hub", { config: {} }), query("vault", { config: {} }), Promise.all([query("registry", { operators: {} }), query("registry", { services: {} })]),
    api("/alerts"),
  ]);
  const [operators, services] = registry;
  const hub = o.hub, vault = o.vault, peg = o.peg;
  const first = hist[0], last = hist[hist.length - 1];
  // realized: the LST rate's change over the history, annualized once it spans a week
  let apr = null, change = null;
  if (first && last && last.time > first.time) {
    change = Number(last.lst_rate) / Number(first.lst_rate) - 1;
    if (last.time - first.time >= 7 * 86400) apr = change * (365 * 86400) / (last.time - first.time);
  }
  const t0 = first ? first.time : 0;
  const days = (t) => (t - t0) / 86400;
  const slashes = hist.filter((s, i) => i > 0 && Number(s.lst_rate) < Number(hist[i - 1].lst_rate));
  const rateChart = lineChart([
    { name: "LRT rate (native per LRT)", color: "#d62728", points: hist.map((s) => [days(s.time), Number(s.lrt_rate)]) },
    { name: "LST rate (native per LST); slashes marked", color: "#1f77b4", points: hist.map((s) => [days(s.time), Number(s.lst_rate)]), marks: slashes.map((s) => [days(s.time), Number(s.lst_rate)]) },
  ], { xFormat: (d) => `day ${d.toFixed(1)}`, label: "LST and LRT rates over time" });
  const pegChart = lineChart([
    { name: "LST spot price in the pool", color: "#7f3fbf", points: hist.map((s) => [days(s.time), Number(s.lst_price) / Number(s.lst_rate)]) },
  ], { xFormat: (d) => `day ${d.toFixed(1)}`, yFormat: (v) => pct(v, 3), label: "LST price against its redemption rate" });
  const paused = Object.entries(hubConfig.paused || {}).filter(([, v]) => v).map(([k]) => k);
  const vpaused = Object.entries(vaultConfig.paused || {}).filter(([, v]) => v).map(([k]) => k);
  const opName = Object.fromEntries(operators.map((op) => [op.address, op.name]));
  const svcName = Object.fromEntries(services.map((s) => [s.id, s.name]));
  const total = BigInt(o.exposure.total_value || 0);
  const expRows = (o.exposure.services || []).map((e) => {
    const share = Number(e.share_bps) / 100;
    return `<tr><td>${esc(svcName[e.service] || "service " + e.service)}</td><td class="num">${tokens(e.allocated)} LST</td><td style="min-width:8rem"><div class="bar"><span style="width:${Math.min(100, share)}%"></span></div><span class="muted">${share.toFixed(2)} % of the vault (cap ${(vaultConfig.max_service_exposure_bps / 100).toFixed(0)} %); at most ${tokens(e.max_slash_per_epoch)} LST slashable an epoch</span></td></tr>`;
  }).join("");
  const opRows = (vault.operators || []).map((op) => {
    const share = BigInt(vault.total_value || 0) > 0n ? Number((BigInt(op.value) * 10000n) / BigInt(vault.total_value)) / 100 : 0;
    return `<tr><td>${esc(opName[op.operator] || op.operator)}</td><td class="num">${tokens(op.value)} LST</td><td class="num">${share.toFixed(2)} % (cap ${(vaultConfig.max_operator_bps / 100).toFixed(0)} %)</td></tr>`;
  }).join("");
  const valRows = validators.map((v) => `<tr><td>${esc(v.address)}</td><td class="num">${v.weight}</td><td class="num">${tokens(v.target)}</td><td class="num">${tokens(v.actual)}</td></tr>`).join("");
  const batchRows = batches.slice(-8).reverse().map((b) => `<tr><td>#${b.id}</td><td>${esc(b.status)}</td><td class="num">${tokens(b.lst_amount)}</td><td class="num">${tokens(b.native_amount)}</td><td>${b.claimable_at ? when(nanosToSec(b.claimable_at)) : "next batch " + when(nanosToSec(hub.next_batch_submit_at))}</td></tr>`).join("");
  const alerts = [];
  if (hub.bunker) alerts.push(`<span class="pill bad">bunker mode since ${date(nanosToSec(hub.bunker.since))}</span>`);
  if (paused.length) alerts.push(`<span class="pill bad">hub paused: ${esc(paused.join(", "))}${hubConfig.pause_cause ? " (" + esc(hubConfig.pause_cause.reason) + ")" : ""}</span>`);
  if (vpaused.length) alerts.push(`<span class="pill bad">vault paused: ${esc(vpaused.join(", "))}</span>`);
  if (Number(peg.ema_discount_bps) >= 100) alerts.push(`<span class="pill warn">LST trades ${(peg.ema_discount_bps / 100).toFixed(2)} % under its rate</span>`);
  if (BigInt(hub.withheld || 0) > 0n) alerts.push(`<span class="pill warn">${tokens(hub.withheld)} of rewards withheld by the APR ceiling</span>`);
  main.innerHTML = `
  <h1>Overview</h1>
  <div class="grid">
    <div class="card"><h2>LST rate</h2><div class="stat" data-testid="lst-rate">${rate(hub.exchange_rate)}</div><div class="muted">native per LST</div></div>
    <div class="card"><h2>LRT rate</h2><div class="stat">${rate(vault.rate_native)}</div><div class="muted">native per LRT (${rate(vault.rate)} LST)</div></div>
    <div class="card"><h2>Staked</h2><div class="stat" data-testid="total-staked">${tokens(hub.total_native, 2)}</div><div class="muted">native through the hub; ${tokens(hub.lst_supply, 2)} LST</div></div>
    <div class="card"><h2>Restaked</h2><div class="stat">${tokens(vault.total_value, 2)}</div><div class="muted">LST in the vault; ${tokens(vault.lrt_supply, 2)} LRT</div></div>
    <div class="card"><h2>Realized APR</h2><div class="stat">${apr === null ? "—" : pct(apr)}</div><div class="muted">${change === null ? "no history yet" : `LST rate ${change >= 0 ? "+" : ""}${pct(change, 3)} since ${date(first.time)}${apr === null ? "; annualized once the history spans a week" : ""}`}</div></div>
    <div class="card"><h2>Peg</h2><div class="stat">${rate(peg.spot_price)}</div><div class="muted">spot; moving average ${rate(peg.ema_price)}; redemption ${rate(peg.redemption_rate)} (discount ${(peg.spot_discount_bps / 100).toFixed(2)} %)</div></div>
    <div class="card wide"><h2>Protocol state</h2><div data-testid="alerts">${alerts.length ? alerts.join(" ") : '<span class="pill ok">all operations open, no alerts</span>'}</div><div class="muted">hub epoch ${hub.epoch}, next ${when(nanosToSec(hub.next_epoch_at))}</div>
    <h2 style="margin-top:.8rem">Keeper alerts</h2><ul data-testid="keeper-alerts">${keeper.alerts.length ? keeper.alerts.map((a) => `<li>${esc(a)}</li>`).join("") : `<li class="muted">${keeper.time ? "none at the last pass, " + date(keeper.time) : "no keeper pass yet"}</li>`}</ul></div>
    <div class="card wide"><h2>LST and LRT rates</h2><div data-testid="rate-chart" data-points="${hist.length}" data-falls="${slashes.length}">${rateChart}</div><div class="muted">${slashes.length ? `${slashes.length} fall${slashes.length > 1 ? "s" : ""} of the LST rate (slashes), marked` : "no fall of the LST rate so far"}</div></div>
    <div class="card wide"><h2>The peg</h2>${pegChart}</div>
    <div class="card wide scroll"><h2>Validators</h2><table><thead><tr><th>validator</th><th class="num">weight</th><th class="num">target</th><th class="num">actual stake</th></tr></thead><tbody>${valRows}</tbody></table></div>
    <div class="card wide scroll"><h2>Exposure per service</h2><table><tbody>${expRows || '<tr><td class="muted">nothing allocated</td></tr>'}</tbody></table></div>
    <div class="card wide scroll"><h2>Stake per operator</h2><table><tbody>${opRows || '<tr><td class="muted">nothing delegated</td></tr>'}</tbody></table></div>
    <div class="card wide scroll"><h2>Unbonding batches</h2><table><thead><tr><th>batch</th><th>status</th><th class="num">LST</th><th class="num">native</th><th>claimable</th></tr></thead><tbody>${batchRows || '<tr><td class="muted">none yet</td></tr>'}</tbody></table>
    <p class="muted">Vault withdrawal queue: ${tokens(vault.pending_withdrawal_lrt)} LRT waiting, ${tokens(vault.queue_owed)} LST owed.</p></div>
  </div>`;
};

function accountPicker(names) {
  const opts = names.map((n) => `<option ${n === state.account ? "selected" : ""}>${esc(n)}</option>`).join("");
  return `<form id="pick" class="row" aria-label="Choose an account"><label>Demo account<select id="pick-select">${opts}</select></label>
  <label>or an account name or address<input id="pick-input" placeholder="e.g. alice" autocomplete="off"></label><button type="submit">Show</button></form>`;
}

function formCard(id, title, fields, note = "") {
  return `<div class="card"><h2>${title}</h2><form id="${id}" novalidate>${fields}
  <div class="preview" data-testid="${id}-preview" aria-live="polite">Enter an amount for a preview.</div>
  <button type="submit">${title}</button><div class="result" role="status"></div>${note}</form></div>`;
}
const amountField = (label) => `<label>${label}<input name="amount" inputmode="decimal" autocomplete="off" required></label>`;

pages.account = async (main) => {
  const demo = (await api("/accounts")).map((a) => a.account);
  const name = state.account;
  let bal, unbonding, position, hubState, hubConfig, vaultState, vaultConfig, validators, direct = [];
  try {
    bal = await api(`/accounts/${encodeURIComponent(name)}`);
  } catch (e) {
    main.innerHTML = `<h1>Account</h1>${accountPicker(demo)}<p class="error" role="alert">${esc(e.message)}</p>`;
    bindPicker(main);
    return;
  }
  [unbonding, position, hubState, hubConfig, vaultState, vaultConfig, validators] = await Promise.all([
    query("hub", { unbond_requests: { user: bal.address } }), query("vault", { position: { user: bal.address } }),
    query("hub", { state: {} }), query("hub", { config: {} }), query("vault", { state: {} }), query("vault", { config: {} }), query("hub", { validators: {} }),
  ]);
  direct = await Promise.all(validators.map((v) => api(`/accounts/${encodeURIComponent(name)}/delegations/${encodeURIComponent(v.address)}`).then((d) => ({ v: v.address, ...d }))));
  const lstValue = (BigInt(bal.lst) * BigInt(Math.round(Number(hubState.exchange_rate) * 1e9))) / 1000000000n;
  const directRows = direct.filter((d) => BigInt(d.amount) > 0n).map((d) => `<tr><td>delegated to ${esc(d.v)}</td><td class="num">${tokens(d.amount)}</td><td class="num">+ ${tokens(d.rewards)} rewards</td></tr>`).join("");
  const reqRows = (unbonding.requests || []).map((r) => `<tr><td>unbonding, batch #${r.batch_id}</td><td class="num">${tokens(r.lst_amount)} LST → ${tokens(r.native_amount)} native</td><td>${r.claimable_at ? "claimable " + when(nanosToSec(r.claimable_at)) : "waits for the next batch, " + when(nanosToSec(hubState.next_batch_submit_at))}</td></tr>`).join("");
  const wdRows = (position.withdrawals || []).map((w) => `<tr><td>vault withdrawal #${w.id}</td><td class="num">${tokens(w.lrt)} LRT</td><td>${w.finalize_at ? "finalized " + when(nanosToSec(w.finalize_at)) : ""}</td></tr>`).join("");
  const batchReady = nanosToSec(hubState.next_batch_submit_at) + Number(hubConfig.unbonding_period);
  const valOpts = validators.map((v) => `<option>${esc(v.address)}</option>`).join("");
  main.innerHTML = `
  <h1>Account <span data-testid="account-name">${esc(name)}</span></h1>
  ${accountPicker(demo)}
  <div class="grid" style="margin-top:1rem">
    <div class="card"><h2>Native</h2><div class="stat" data-testid="bal-native" data-units="${bal.native}">${tokens(bal.native)}</div></div>
    <div class="card"><h2>LST</h2><div class="stat" data-testid="bal-lst" data-units="${bal.lst}">${tokens(bal.lst)}</div><div class="muted">worth ${tokens(lstValue)} native</div></div>
    <div class="card"><h2>LRT</h2><div class="stat" data-testid="bal-lrt" data-units="${bal.lrt}">${tokens(bal.lrt)}</div><div class="muted">worth ${tokens(position.value_native)} native</div></div>
    <div class="card"><h2>Claimable</h2><div class="stat">${tokens(unbonding.claimable)}</div><div class="muted">native from the hub; ${tokens(position.claimable)} LST from the vault</div></div>
    <div class="card wide scroll"><h2>Positions</h2><table><tbody>${directRows + reqRows + wdRows || '<tr><td class="muted">No delegations, unbonding or withdrawals.</td></tr>'}</tbody></table></div>
    <div class="card wide"><label style="max-width:14rem">Slippage tolerance, %<input id="slippage" value="${state.slippage}" inputmode="decimal"></label></div>
    ${formCard("stake", "Stake", amountField("Native to stake"))}
    ${formCard("unstake", "Unstake", amountField("LST to unstake") + `<label>Route<select name="route"><option value="batch">batch (full value after the unbonding)</option><option value="instant">instant (sell in the pool now)</option></select></label>`)}
    ${formCard("restake", "Restake", amountField("Amount to restake") + `<label>Pay with<select name="asset"><option value="native">native</option><option value="lst">LST</option></select></label>`)}
    ${formCard("withdraw", "Withdraw", amountField("LRT to withdraw from the vault"))}
    ${formCard("delegate", "Delegate", amountField("Native to delegate directly") + `<label>Validator<select name="validator">${valOpts}</select></label>`)}
    <div class="card"><h2>Claim</h2><form id="claim"><div class="preview">${tokens(unbonding.claimable)} native from the hub, ${tokens(position.claimable)} LST from the vault.</div>
      <button type="submit" name="what" value="hub" ${BigInt(unbonding.claimable) > 0n ? "" : "disabled"}>Claim from the hub</button>
      <button type="submit" name="what" value="vault" ${BigInt(position.claimable) > 0n ? "" : "disabled"}>Claim from the vault</button><div class="result" role="status"></div></form></div>
  </div>`;
  bindPicker(main);
  $("#slippage", main).addEventListener("change", (e) => { state.slippage = Math.max(0, Number(e.target.value) || 0); });
  const minOut = (units) => (units * BigInt(Math.round((100 - state.slippage) * 1000))) / 100000n;
  const c = await contracts();
  const setup = (id, preview, send) => {
    const form = $(`#${id}`, main), box = $(`[data-testid="${id}-preview"]`, main), out = $(".result", form);
    let current = null;
    const update = async () => {
      const units = toUnits(form.amount.value);
      current = null;
      if (units === null || units === 0n) { box.textContent = form.amount.value ? "Amount: a number above zero, up to 6 decimals." : "Enter an amount for a preview."; return; }
      try { current = await preview(units, form); box.innerHTML = current.html; box.dataset.receive = String(current.receive ?? ""); }
      catch (e) { box.innerHTML = `<span class="error">${esc(e.message)}</span>`; }
    };
    form.addEventListener("input", update);
    form.addEventListener("change", update);
    form.addEventListener("submit", async (ev) => {
      ev.preventDefault();
      const units = toUnits(form.amount.value);
      if (units === null || units === 0n) { out.innerHTML = `<p class="error" role="alert">Enter an amount above zero.</p>`; return; }
      if (!current) await update();
      const button = $("button", form); button.disabled = true;
      try {
        await send(units, form, current);
        out.innerHTML = `<p class="success">Done.</p>`;
        refreshSoon(200);
      } catch (e) { out.innerHTML = `<p class="error" role="alert">${esc(e.message)}</p>`; }
      finally { button.disabled = false; }
    });
  };
  setup("stake", async (u) => {
    const lst = (u * 1000000000000n) / BigInt(Math.round(Number(hubState.exchange_rate) * 1e12));
    return { receive: lst, html: `You receive about <b>${tokens(lst)} LST</b> at ${rate(hubState.exchange_rate)} native per LST; no fee on staking.` };
  }, (u, f, p) => tx(name, "hub", { bond: { min_out: p ? minOut(p.receive).toString() : null } }, [{ denom: "ustake", amount: u.toString() }]));
  setup("unstake", async (u, f) => {
    if (f.route.value === "instant") {
      const q = await query("pool", { simulate_swap: { offer: 0, amount: u.toString() } });
      const fair = Number(u) * Number(hubState.exchange_rate);
      const impact = fair > 0 ? 1 - Number(q.return_amount) / fair : 0;
      return { receive: BigInt(q.return_amount), html: `You receive <b>${tokens(q.return_amount)} native</b> now (fee ${tokens(q.fee)}, ${pct(impact)} under the redemption value, price impact included).` };
    }
    const native = (u * BigInt(Math.round(Number(hubState.exchange_rate) * 1e12))) / 1000000000000n;
    return { receive: native, html: `About <b>${tokens(native)} native</b>, claimable ${when(batchReady)} (next batch, then the unbonding).` };
  }, (u, f, p) => {
    const hook = f.route.value === "instant" ? { instant_unstake: { min_out: p ? minOut(p.receive).toString() : null } } : { unbond: {} };
    return tx(name, "lst", { send: { contract: c.hub, amount: u.toString(), msg: b64(hook) } });
  });
  setup("restake", async (u, f) => {
    const perLrt = f.asset.value === "lst" ? Number(vaultState.rate) : Number(vaultState.rate_native);
    const lrt = BigInt(Math.floor(Number(u) / perLrt));
    return { receive: lrt, html: `You receive about <b>${tokens(lrt)} LRT</b> (${rate(perLrt)} ${f.asset.value === "lst" ? "LST" : "native"} per LRT).` };
  }, (u, f, p) => f.asset.value === "lst"
    ? tx(name, "lst", { send: { contract: c.vault, amount: u.toString(), msg: b64({ deposit: { min_out: p ? minOut(p.receive).toString() : null } }) } })
    : tx(name, "vault", { deposit: { min_out: p ? minOut(p.receive).toString() : null } }, [{ denom: "ustake", amount: u.toString() }]));
  setup("withdraw", async (u) => {
    const lst = BigInt(Math.floor(Number(u) * Number(vaultState.rate)));
    return { receive: lst, html: `About <b>${tokens(lst)} LST</b>, finalized ${when(state.time + Number(vaultConfig.withdrawal_delay))}.` };
  }, (u) => tx(name, "lrt", { send: { contract: c.vault, amount: u.toString(), msg: b64({ request_withdrawal: {} }) } }));
  setup("delegate", async (u, f) => ({ receive: u, html: `${tokens(u)} native delegated to ${esc(f.validator.value)}; undelegating takes ${duration(hubConfig.unbonding_period)}.` }),
    (u, f) => api("/delegate", { sender: name, validator: f.validator.value, amount: u.toString() }));
  $("#claim", main).addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const out = $("#claim .result", main);
    try {
      if (ev.submitter && ev.submitter.value === "vault") await tx(name, "vault", { claim_withdrawals: { unbond: false } });
      else await tx(name, "hub", { claim: {} });
      out.innerHTML = `<p class="success">Claimed.</p>`; refreshSoon(200);
    } catch (e) { out.innerHTML = `<p class="error" role="alert">${esc(e.message)}</p>`; }
  });
};

function bindPicker(main) {
  const go = (n) => { if (n) { state.account = n; localStorage.setItem("account", n); render(); } };
  $("#pick-select", main).addEventListener("change", (e) => go(e.target.value));
  $("#pick", main).addEventListener("submit", (e) => { e.preventDefault(); go($("#pick-input", main).value.trim() || $("#pick-select", main).value); });
}

pages.compare = async (main) => {
  const params = new URLSearchParams(location.hash.split("?")[1] || "");
  const amount = params.get("amount") || "10000", days = params.get("days") || "365";
  main.innerHTML = `<h1>Compare</h1>
  <form id="cmp" class="row card" aria-label="Simulation"><label>Amount<input name="amount" value="${esc(amount)}" inputmode="decimal"></label>
  <label>Horizon, days<input name="days" value="${esc(days)}" inputmode="numeric"></label><button type="submit">Simulate</button></form>
  <div id="cmp-out" aria-live="polite"><p>Simulating 5,000 paths…</p></div>`;
  $("#cmp", main).addEventListener("submit", (e) => { e.preventDefault(); location.hash = `#/compare?amount=${encodeURIComponent(e.target.amount.value)}&days=${encodeURIComponent(e.target.days.value)}`; });
  let r;
  // the scripted period on the contracts: the horizon, at most 30 days (it runs a devnet day by day)
  const cmpDays = Math.min(30, Math.max(6, Math.round(Number(days) || 30)));
  const scripted = api(`/compare?amount=${encodeURIComponent(Math.round(Number(amount) || 0))}&days=${cmpDays}`).then((x) => ({ ok: x }), (e) => ({ err: e.message }));
  try { r = await api(`/simulate?amount=${encodeURIComponent(amount)}&days=${encodeURIComponent(days)}&paths=5000`); }
  catch (e) { $("#cmp-out", main).innerHTML = `<p class="error" role="alert">${esc(e.message)}</p>`; return; }
  const s = await scripted;
  const colours = ["#5a5a5a", "#8c564b", "#1f77b4", "#d62728"];
  const cards = r.stats.models.map((m, i) => {
    const band = r.bands[i].map((b, k) => [r.fan_days[k], b[0], b[4]]);
    const inner = r.bands[i].map((b, k) => [r.fan_days[k], b[1], b[3]]);
    const chart = lineChart([
      { color: colours[i], points: [], band, opacity: 0.15 },
      { color: colours[i], points: [], band: inner, opacity: 0.3 },
      { name: "median", color: colours[i], points: r.bands[i].map((b, k) => [r.fan_days[k], b[2]]) },
    ], { height: 340, xFormat: (d) => `day ${Math.round(d)}`, yFormat: (v) => v.toFixed(3), label: `${m.title}: value over time` });
    return `<div class="card"><h2>${esc(m.title)}</h2>${chart}<div class="muted">5–95 % and 25–75 % of paths, value / deposit</div></div>`;
  }).join("");
  const row = (label, f) => `<tr><th>${label}</th>${r.stats.models.map((m) => `<td class="num">${f(m)}</td>`).join("")}</tr>`;
  $("#cmp-out", main).innerHTML = `
  <div class="card scroll"><h2>The three ways to stake, ${esc(tokens(toUnits(amount) ?? 0n))} over ${esc(days)} days (${r.stats.paths.toLocaleString("en-US")} simulated paths)</h2>
  <table data-testid="compare-table"><thead><tr><th>characteristic</th>${r.stats.models.map((m) => `<th class="num">${esc(m.title)}</th>`).join("")}</tr></thead><tbody>
  ${row("Liquidity: time to native when an exit is forced", (m) => m.time_to_liquidity_days ? duration(m.time_to_liquidity_days * 86400) : "at once")}
  ${row("Liquidity: cost of a forced exit (mean)", (m) => pct(m.exit_cost_mean))}
  ${row("Risk: probability of a loss", (m) => pct(m.loss_probability))}
  ${row("Risk: CVaR 95 % / 99 % (loss)", (m) => `${pct(m.cvar_95)} / ${pct(m.cvar_99)}`)}
  ${row("Risk: worst drawdown", (m) => pct(m.max_drawdown_worst))}
  ${row("Profit: yield a year, median (p5)", (m) => `${pct(m.yield_median)} (${pct(m.yield_p5)})`)}
  ${row("Profit: value at the horizon, mean", (m) => tokens(BigInt(Math.round(m.terminal_value_mean_tokens * 1e6))))}
  ${row("Accessibility: smallest amount", () => "any")}
  </tbody></table><p class="muted">From the risk simulator (tributary-sim) with the devnet's parameters; see <code>tributary simulate</code> for scenarios and the full report.</p></div>
  <div class="grid two" style="margin-top:1rem">${cards}</div>
  <div class="card scroll" style="margin-top:1rem" data-testid="compare-scenario"><h2>One scripted period on the contracts: ${cmpDays} days with a validator slash, a service slash and a sell-off</h2>
  ${s.ok ? scriptedTable(s.ok, cmpDays) : `<p class="error" role="alert">${esc(s.err)}</p>`}
  <p class="muted">What <code>tributary compare</code> reports: the same amount through each model on a scratch devnet running the real contracts.</p></div>`;
};

function scriptedTable(reports, days) {
  const exits = (r) => r.exits.map((e) => `${esc(e.route)}: ${e.seconds ? duration(e.seconds) : "at once"}, cost ${tokens(e.cost)}`).join("<br>");
  const losses = (r) => r.losses.map(([risk, l]) => `${esc(risk)}: ${tokens(l)}`).join("<br>") || "—";
  return `<table><thead><tr><th></th>${reports.map((r) => `<th>${esc(r.model)}</th>`).join("")}</tr></thead><tbody>
  <tr><th>deposited</th>${reports.map((r) => `<td class="num">${tokens(r.deposited)}</td>`).join("")}</tr>
  <tr><th>value after ${days} days</th>${reports.map((r) => `<td class="num">${tokens(r.value_now)}</td>`).join("")}</tr>
  <tr><th>realized yield, annualized</th>${reports.map((r) => `<td class="num">${(r.yield_annualized_bps / 100).toFixed(2)} %</td>`).join("")}</tr>
  <tr><th>exits now</th>${reports.map((r) => `<td>${exits(r)}</td>`).join("")}</tr>
  <tr><th>losses</th>${reports.map((r) => `<td>${losses(r)}</td>`).join("")}</tr></tbody></table>`;
}

pages.restaking = async (main) => {
  const [operators, services, requests] = await Promise.all([query("registry", { operators: {} }), query("registry", { services: {} }), query("registry", { slash_requests: {} })]);
  const opName = Object.fromEntries(operators.map((o) => [o.address, o.name]));
  const svcName = Object.fromEntries(services.map((s) => [s.id, s.name]));
  const opRows = operators.map((o) => `<tr><td>${esc(o.name)}</td><td class="num">${(o.commission_bps.current / 100).toFixed(2)} %</td><td class="num">${tokens(o.stake)}</td><td>${(o.allocations || []).map((a) => `${esc(svcName[a.service] || a.service)}: ${(a.bps / 100).toFixed(0)} %`).join(", ") || "—"}</td></tr>`).join("");
  const svcRows = services.map((s) => `<tr><td>${esc(s.name)}</td><td class="num">${(s.reward_rate_bps / 100).toFixed(2)} % a year</td><td class="num">${tokens(s.allocated)}</td><td class="num">${(s.max_slash_bps_per_epoch / 100).toFixed(2)} % an epoch</td><td>${duration(s.veto_window)}</td><td class="num">${tokens(s.slashed)}</td></tr>`).join("");
  const reqRows = requests.map((r) => {
    const at = nanosToSec(r.executable_at);
    const status = r.status === "pending" ? (at > state.time ? `<span class="pill warn">veto window: ${duration(at - state.time)} left</span>` : `<span class="pill bad">executable</span>`) : `<span class="pill">${esc(r.status)}</span>`;
    return `<tr><td>#${r.id}</td><td>${esc(svcName[r.service] || r.service)}</td><td>${esc(opName[r.operator] || r.operator)}</td><td class="num">${(r.fraction_bps / 100).toFixed(2)} %</td><td class="num">${tokens(r.amount)} LST</td><td>${status}</td><td>${esc(r.reason)}</td></tr>`;
  }).join("");
  main.innerHTML = `<h1>Restaking</h1><div class="grid">
  <div class="card wide scroll"><h2>Operators</h2><table><thead><tr><th>operator</th><th class="num">commission</th><th class="num">stake (LST)</th><th>allocations</th></tr></thead><tbody>${opRows}</tbody></table></div>
  <div class="card wide scroll"><h2>Services</h2><table><thead><tr><th>service</th><th class="num">reward</th><th class="num">allocated (LST)</th><th class="num">slash cap</th><th>veto window</th><th class="num">slashed</th></tr></thead><tbody>${svcRows}</tbody></table></div>
  <div class="card wide scroll"><h2>Slash requests</h2><table><thead><tr><th>id</th><th>service</th><th>operator</th><th class="num">fraction</th><th class="num">amount</th><th>status</th><th>reason</th></tr></thead><tbody>${reqRows || '<tr><td class="muted">No slash requests.</td></tr>'}</tbody></table></div>
  </div>`;
};

const feed = [];
pages.events = async (main) => {
  const kinds = ["all", "tx", "advance", "slash_validator", "fund", "delegate", "undelegate", "withdraw_rewards", "alert"];
  const sel = state.eventFilter || "all";
  const items = feed.filter((e) => sel === "all" || e.kind === sel).slice(-200).reverse();
  main.innerHTML = `<h1>Events</h1><div class="card"><label style="max-width:16rem">Show<select id="filter">${kinds.map((k) => `<option ${k === sel ? "selected" : ""}>${k}</option>`).join("")}</select></label>
  <ul class="feed" data-testid="feed">${items.map((e) => `<li><b>${esc(e.kind)}</b> · block ${e.height} · ${date(e.time)}<div class="muted">${esc(summary(e))}</div></li>`).join("") || '<li class="muted">Nothing yet since this page opened; it updates live.</li>'}</ul></div>`;
  $("#filter", main).addEventListener("change", (e) => { state.eventFilter = e.target.value; render(); });
};
function summary(e) {
  const d = e.detail || {};
  if (e.kind === "tx") {
    const actions = (d.events || []).map((ev) => Object.fromEntries(ev)).map((a) => a.action).filter(Boolean);
    return actions.length ? actions.join(", ") : "transaction";
  }
  if (e.kind === "slash_validator") return `${d.validator} slashed by ${pct(Number(d.fraction))}`;
  if (e.kind === "fund") return `faucet paid ${tokens(d.amount)} native`;
  if (e.kind === "alert") return (d.alerts || []).join("; ") || "the keeper's alerts cleared";
  if (e.kind === "advance") return `clock at ${date(d.time ?? e.time)}`;
  return JSON.stringify(d).slice(0, 160);
}

// ---- routing and live updates ----
async function render() {
  const page = (location.hash.replace(/^#\//, "").split("?")[0]) || "overview";
  const fn = pages[page] || pages.overview;
  document.querySelectorAll("nav a").forEach((a) => (a.dataset.page === page ? a.setAttribute("aria-current", "page") : a.removeAttribute("aria-current")));
  const main = $("#main");
  try {
    const h = await api("/health");
    state.time = h.time;
    $("#block").textContent = `block ${h.height.toLocaleString("en-US")} · ${date(h.time)}`;
    await fn(main);
    main.dataset.ready = String(Date.now());
  } catch (e) {
    main.innerHTML = `<p class="error" role="alert">${esc(e.message)}</p>`;
  }
}
let timer = null;
function refreshSoon(ms = 400) {
  // forms being filled in are not redrawn under the user's fingers
  const busy = document.activeElement && ["INPUT", "SELECT"].includes(document.activeElement.tagName) && document.activeElement.value;
  clearTimeout(timer);
  timer = setTimeout(() => { if (!busy || ms < 400) render(); }, ms);
}
window.addEventListener("hashchange", () => render());
const source = new EventSource("/events");
["tx", "advance", "slash_validator", "fund", "delegate", "undelegate", "withdraw_rewards", "alert"].forEach((k) => source.addEventListener(k, (m) => {
  try { feed.push(JSON.parse(m.data)); if (feed.length > 1000) feed.shift(); } catch { /* a malformed event is skipped */ }
  refreshSoon();
}));
render();
