// Browser scenarios of the interactive viewer and the playground, driven by playwright-core on the
// system Chromium (no downloaded browser). The .NET tests start the server and call one scenario:
//   node viewer-e2e.mjs viewer|live|playground|bench|exports|embedding|embedding-animation|embedding-folder --url BASE [--run ID] [--shots DIR] [...] [--chromium PATH]
// Progress lines are JSON objects with an "event" field; the last line is the scenario's JSON result,
// which always carries "consoleErrors" (browser console errors and uncaught page errors).
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';

const [scenario, ...rest] = process.argv.slice(2);
const opt = (name, def) => { const i = rest.indexOf('--' + name); return i >= 0 ? rest[i + 1] : def; };
const base = opt('url');
const shots = opt('shots', null);
const executablePath = opt('chromium', process.env.CHROMIUM_PATH || '/usr/bin/chromium');
const emit = (o) => console.log(JSON.stringify(o));
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Fraction of canvas pixels differing from the background, and a coarse fingerprint of the picture. */
async function pixels(page, selector = '#stage canvas') {
  return page.evaluate((sel) => {
    const src = document.querySelector(sel);
    const c = document.createElement('canvas'); c.width = 200; c.height = Math.max(1, Math.round(200 * src.height / src.width));
    const g = c.getContext('2d'); g.drawImage(src, 0, 0, c.width, c.height);
    const d = g.getImageData(0, 0, c.width, c.height).data;
    const bg = [0x0e, 0x11, 0x1a];
    let differ = 0; const sig = [];
    for (let i = 0; i < d.length; i += 4) {
      if (Math.abs(d[i] - bg[0]) + Math.abs(d[i + 1] - bg[1]) + Math.abs(d[i + 2] - bg[2]) > 30) differ++;
      sig.push(d[i], d[i + 1], d[i + 2]);
    }
    return { fraction: differ / (d.length / 4), sig };
  }, selector);
}
const changed = (a, b) => { let n = 0; for (let i = 0; i < a.sig.length; i += 3) if (Math.abs(a.sig[i] - b.sig[i]) + Math.abs(a.sig[i + 1] - b.sig[i + 1]) + Math.abs(a.sig[i + 2] - b.sig[i + 2]) > 24) n++; return n / (a.sig.length / 3); };
const shot = async (page, name) => { if (shots) await page.screenshot({ path: path.join(shots, name) }); };

async function viewer(page) {
  const run = opt('run'), budget = opt('budget');
  await page.goto(`${base}/runs/${run}${budget ? `?budget=${budget}` : ''}`);
  await page.waitForFunction(() => window.neurocore?.ready && window.neurocore.shownStep != null, null, { timeout: 60000 });
  await sleep(300);
  const last = await pixels(page);
  const count = await page.textContent('#count');
  await shot(page, `${opt('prefix', 'viewer')}-controls.png`);
  // Scrub: drag the slider to the first snapshot like a person would (fill sets it and fires 'input').
  const first = await page.evaluate(() => window.neurocore.view.snapshots[0].step);
  await page.locator('#slider').fill('0');
  await page.waitForFunction((s) => window.neurocore.shownStep === s, first, { timeout: 20000 });
  await sleep(300);
  const scrubbed = await pixels(page);
  // Click a known neuron and read the info panel.
  const [layer, index] = opt('neuron', '1,3').split(',').map(Number);
  const at = await page.evaluate(([l, k]) => window.neurocore.screenOf(l, k), [layer, index]);
  await page.mouse.click(at.x, at.y);
  await page.waitForFunction(() => document.getElementById('info').textContent.includes('pinned'), null, { timeout: 5000 });
  const info = await page.textContent('#info');
  await shot(page, `${opt('prefix', 'viewer')}-neuron.png`);
  // A new budget.
  await page.fill('#budget', opt('budget2', '40'));
  await page.click('#budget-apply');
  await page.waitForFunction((b) => window.neurocore.connections.budget === b, Number(opt('budget2', '40')), { timeout: 10000 });
  const count2 = await page.textContent('#count');
  // Hover a known connection (the first drawn one of the last layer) at the latest snapshot.
  const lastIndex = await page.evaluate(() => window.neurocore.view.snapshots.length - 1);
  const box = await page.locator('#stage canvas').boundingBox();
  await page.mouse.click(box.x + 8, box.y + box.height - 8); // empty space: releases the pinned neuron
  await page.locator('#slider').fill(String(lastIndex));
  await page.waitForFunction((i) => window.neurocore.shownStep === window.neurocore.view.snapshots[i].step, lastIndex, { timeout: 20000 });
  const target = await page.evaluate(() => {
    const t = window.neurocore, line = t.network.lines.at(-1);
    const id = line.ids[0], spec = t.view.layers[line.layer], inputs = t.view.layers[line.layer - 1].neurons;
    const a = t.screenOf(line.layer - 1, id % inputs), b = t.screenOf(line.layer, Math.floor(id / inputs));
    return { layer: line.layer, id, x: 0.55 * a.x + 0.45 * b.x, y: 0.55 * a.y + 0.45 * b.y, name: spec.name };
  });
  await page.mouse.move(target.x, target.y);
  await page.waitForFunction(() => document.getElementById('info').textContent.includes('weight:'), null, { timeout: 5000 }).catch(() => {});
  const hover = { ...target, info: await page.textContent('#info') };
  return { nonBackground: last.fraction, scrubChange: changed(last, scrubbed), firstStep: first, info, count, count2, hover,
    webgl: await page.evaluate(() => window.neurocore.stage.renderer.getContext().getParameter(0x1F02)) };
}

async function bench(page) {
  const run = opt('run'), budget = opt('budget', '50000');
  const t0 = Date.now();
  await page.goto(`${base}/runs/${run}?budget=${budget}`);
  await page.waitForFunction(() => window.neurocore?.ready && window.neurocore.firstFrameMs != null, null, { timeout: 120000 });
  const wall = Date.now() - t0;
  const firstFrameMs = await page.evaluate(() => window.neurocore.firstFrameMs);
  const scrub = () => page.evaluate(async () => {
    const t = window.neurocore, n = t.view.snapshots.length;
    const start = performance.now();
    for (let i = 0; i < n; i++) { await t.timeline.go(i === t.timeline.index ? (i + 1) % n : i); t.drawnAt(); }
    return n / ((performance.now() - start) / 1000);
  });
  const cold = await scrub();
  const warm = await scrub();
  // Orbiting without changing the step: the cost of drawing the scene alone.
  const drawFps = await page.evaluate(() => {
    const t = window.neurocore, start = performance.now(); let n = 0;
    while (performance.now() - start < 3000) { t.stage.controls.rotateLeft?.(0.01); t.drawnAt(); n++; }
    return n / ((performance.now() - start) / 1000);
  });
  const drawParts = await page.evaluate(() => {
    const t = window.neurocore, time = (f) => { const s = performance.now(); for (let i = 0; i < 3; i++) t.drawnAt(); f?.(); return (performance.now() - s) / 3; };
    const all = time();
    t.network.linesGroup.visible = false; const noLines = time(); t.network.linesGroup.visible = true;
    return { allMs: all, withoutConnectionsMs: noLines };
  });
  await shot(page, 'bench-784.png');
  return { firstFrameMs, wallToFirstFrameMs: wall, drawParts, scrubFpsCold: cold, scrubFpsWarm: warm, drawFps,
    connections: await page.textContent('#count'), snapshots: await page.evaluate(() => window.neurocore.view.snapshots.length),
    webgl: await page.evaluate(() => window.neurocore.stage.renderer.getContext().getParameter(0x1F02)),
    software: await page.evaluate(() => window.neurocore.stage.software) };
}

async function playgroundRate(page) {
  await page.goto(`${base}/playground${opt('query', '')}`);
  await page.waitForFunction(() => window.playground?.ready && window.playground.frames > 0, null, { timeout: 60000 });
  await page.click('#start');
  await sleep(1000);
  const f0 = await page.evaluate(() => window.playground.frames), t0 = Date.now();
  await sleep(5000);
  const frames = await page.evaluate(() => window.playground.frames) - f0;
  await page.click('#pause');
  return { updatesPerSecond: frames / ((Date.now() - t0) / 1000), step: await page.evaluate(() => window.playground.step) };
}

async function exportsScenario(page) {
  await page.goto(`${base}/runs/${opt('run')}`);
  await page.waitForFunction(() => window.neurocore?.ready && window.neurocore.shownStep != null, null, { timeout: 60000 });
  await page.click(`#${opt('button', 'gltf-step')}`);
  // Every distinct message the page shows while it follows the job (its progress), until it ends.
  const messages = [];
  const deadline = Date.now() + Number(opt('wait', '20000'));
  for (;;) {
    const t = await page.textContent('#export-msg');
    if (messages.at(-1) !== t) messages.push(t);
    if (t.includes('download') || t.includes('render service') || t.includes('refused') || t.includes('failed') || t.includes('canceled')) break;
    if (Date.now() > deadline) throw new Error(`the export did not end within ${opt('wait', '20000')} ms: ${messages.join(' / ')}`);
    await sleep(100);
  }
  return { message: messages.at(-1), messages, href: await page.evaluate(() => document.querySelector('#export-msg a')?.getAttribute('href') ?? null) };
}

async function live(page) {
  const run = opt('run'), expect = Number(opt('expect', '3'));
  await page.goto(`${base}/runs/${run}`);
  await page.waitForFunction(() => window.neurocore?.ready, null, { timeout: 60000 });
  const start = await page.evaluate(() => window.neurocore.view.snapshots.length);
  emit({ event: 'loaded', snapshots: start });
  const seen = [];
  let lastStep = await page.evaluate(() => window.neurocore.shownStep);
  const deadline = Date.now() + Number(opt('timeout', '30000'));
  while (seen.length < expect && Date.now() < deadline) {
    const s = await page.evaluate(() => window.neurocore.shownStep);
    if (s !== lastStep) { seen.push({ step: s, at: Date.now() }); lastStep = s; }
    await sleep(25);
  }
  await shot(page, 'viewer-live.png');
  await sleep(500);
  return { seen, badge: await page.textContent('#live-badge'), follow: await page.isChecked('#follow'), count: await page.textContent('#count') };
}

async function playground(page) {
  const query = opt('query', '');
  await page.goto(`${base}/playground${query}`);
  await page.waitForFunction(() => window.playground?.ready && window.playground.frames > 0, null, { timeout: 60000 });
  const decisionBefore = await pixels(page, '#decision');
  const t0 = Date.now();
  await page.click('#start');
  const target = Number(opt('accuracy', '0.9'));
  // Frames per second while training, over a 3 s window.
  await sleep(1000);
  const f0 = await page.evaluate(() => window.playground.frames);
  await sleep(3000);
  const fps = (await page.evaluate(() => window.playground.frames) - f0) / 3;
  await page.waitForFunction((t) => window.playground.accuracy >= t, target, { timeout: 60000 }).catch(() => {});
  const reached = await page.evaluate(() => ({ accuracy: window.playground.accuracy, step: window.playground.step }));
  const seconds = (Date.now() - t0) / 1000;
  await sleep(300);
  await shot(page, 'playground.png');
  const decisionAfter = await pixels(page, '#decision');
  await page.click('#pause');
  await page.waitForFunction(() => ['paused', 'finished'].includes(window.playground.state), null, { timeout: 10000 }); // finished: the step budget ran out first
  const url = page.url();
  const runId = await page.evaluate(() => window.playground.runId);
  // The URL reproduces the configuration: a fresh page on it shows the same form.
  const form = () => ({ dataset: document.getElementById('dataset').value, noise: document.getElementById('noise').value,
    layers: [...document.querySelectorAll('#layers input')].map((i) => i.value).join(','), activation: document.getElementById('activation').value,
    optimizer: document.getElementById('optimizer').value, lr: document.getElementById('lr').value, batch: document.getElementById('batch').value,
    wd: document.getElementById('wd').value });
  const formHere = await page.evaluate(form);
  const second = await page.context().newPage();
  watch(second);
  await second.goto(url);
  await second.waitForFunction(() => window.playground?.ready, null, { timeout: 60000 });
  const formThere = await second.evaluate(form);
  await second.close();
  return { fps, reached, seconds, decisionChange: changed(decisionBefore, decisionAfter), url, formHere, formThere, runId };
}

// The hovered item's image (the sprite cell drawn in #thumb): its size and how many pixels are lit, or null when hidden.
async function thumbPixels(page) {
  return page.evaluate(() => {
    const c = document.getElementById('thumb');
    if (c.hidden) return null;
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let lit = 0; for (let i = 0; i < d.length; i += 4) if (d[i] > 128) lit++;
    return { width: c.width, height: c.height, lit };
  });
}

async function embedding(page) {
  const run = opt('run');
  await page.goto(`${base}/runs/${run}`);
  await page.waitForFunction(() => window.neurocore?.ready, null, { timeout: 60000 });
  // The run page links to the embedding page; a person clicks it, picks t-SNE and presses "embed".
  await page.click('#embedding-link');
  await page.waitForFunction(() => window.__embedding?.ready || window.__embedding?.error, null, { timeout: 60000 });
  await page.selectOption('#layer', opt('layer'));
  await page.selectOption('#method', opt('method', 'tsne'));
  await page.click('#apply');
  await page.waitForFunction(() => window.__embedding?.ready || window.__embedding?.error, null, { timeout: 120000 });
  const error = await page.evaluate(() => window.__embedding.error ?? null);
  if (error) throw new Error(`embedding page: ${error}`);
  await sleep(300);
  const picture = await pixels(page);
  const target = Number(opt('point', '0'));
  const at = await page.evaluate((i) => window.__embedding.screenOf(i), target);
  await page.mouse.move(at.x, at.y);
  await page.waitForFunction(() => window.__embedding.hovered() >= 0, null, { timeout: 5000 }).catch(() => {});
  await sleep(200);
  const hovered = await page.evaluate(() => window.__embedding.hovered());
  const thumb = await thumbPixels(page);
  await shot(page, `${opt('prefix', 'viewer')}-embedding.png`);
  const seen = { url: page.url(), point: await page.textContent('#point'), neighbors: await page.textContent('#neighbors'),
    status: await page.textContent('#status') };
  // Beside the network: the run page's panel holds the same page in an iframe next to the drawn network.
  await page.goto(`${base}/runs/${run}`);
  await page.waitForFunction(() => window.neurocore?.ready, null, { timeout: 60000 });
  await page.click('#embedding-beside');
  const frame = await (await page.waitForSelector('#embedding-panel')).contentFrame();
  await frame.waitForFunction(() => window.__embedding?.ready || window.__embedding?.error, null, { timeout: 60000 });
  await sleep(300);
  const beside = { error: await frame.evaluate(() => window.__embedding.error ?? null), count: await frame.evaluate(() => window.__embedding.count ?? 0),
    network: (await pixels(page)).fraction };
  await shot(page, `${opt('prefix', 'viewer')}-embedding-beside.png`);
  return { beside, nonBackground: picture.fraction, target, hovered, thumb, ...seen };
}

async function embeddingAnimation(page) {
  const run = opt('run'), layer = opt('layer'), method = opt('method', 'tsne'), point = Number(opt('point', '0'));
  await page.goto(`${base}/runs/${run}/embedding?${new URLSearchParams({ layer, method })}`);
  await page.waitForFunction(() => window.__embedding?.ready || window.__embedding?.error, null, { timeout: 60000 });
  // A person asks for the frames: type how many, press "animate".
  await page.fill('#frames', opt('frames', '6'));
  await page.click('#animate');
  await page.waitForFunction(() => (window.__embedding?.ready && window.__embedding.frames > 0) || window.__embedding?.error, null, { timeout: 180000 });
  const error = await page.evaluate(() => window.__embedding.error ?? null);
  if (error) throw new Error(`embedding page: ${error}`);
  const frames = await page.evaluate(() => window.__embedding.frames);
  await sleep(300);
  const at = async () => page.evaluate((i) => ({ t: window.__embedding.time(), step: window.__embedding.step(), p: window.__embedding.position(i) }), point);
  const last = { ...(await at()), pixels: await pixels(page) };
  await shot(page, `${opt('prefix', 'viewer')}-embedding-animation.png`);
  // Scrub: drag the slider to the first frame, then half way to the second (fill sets it and fires 'input').
  const scrubTo = async (v) => { await page.locator('#frame').fill(String(v)); await page.waitForFunction((x) => Math.abs(window.__embedding.time() - x) < 1e-6, v, { timeout: 10000 }); await sleep(200); };
  await scrubTo(0);
  const first = { ...(await at()), pixels: await pixels(page) };
  await scrubTo(1);
  const second = await at();
  await scrubTo(0.5);
  const half = await at();
  // Hover still works on moved points: point `point` where it is now.
  await scrubTo(0);
  const screen = await page.evaluate((i) => window.__embedding.screenOf(i), point);
  await page.mouse.move(screen.x, screen.y);
  await page.waitForFunction(() => window.__embedding.hovered() >= 0, null, { timeout: 5000 }).catch(() => {});
  const hovered = await page.evaluate(() => window.__embedding.hovered());
  const pointText = await page.textContent('#point');
  // Play: time runs forward by itself.
  await page.click('#play');
  await sleep(1200);
  const playing = await page.evaluate(() => ({ t: window.__embedding.time(), playing: window.__embedding.playing() }));
  await page.click('#play'); // pause
  return { frames, last: { t: last.t, step: last.step, p: last.p }, first: { t: first.t, step: first.step, p: first.p }, second, half,
    picture: { last: last.pixels.fraction, first: first.pixels.fraction, changed: changed(first.pixels, last.pixels) },
    hovered, point: pointText, playing, frameStatus: await page.textContent('#frame-status') };
}

/** A registered embedding folder: from the start page's list to its page; hover a point, read what the panel shows. */
async function embeddingFolder(page) {
  const name = opt('name'), target = Number(opt('point', '0'));
  await page.goto(`${base}/`);
  const link = page.locator(`#embeddings a[href="/embeddings/${encodeURIComponent(name)}"]`);
  await link.waitFor({ timeout: 30000 });
  const listed = await page.textContent('#embeddings');
  await link.click();
  await page.waitForFunction(() => window.__embedding?.ready || window.__embedding?.error, null, { timeout: 60000 });
  const error = await page.evaluate(() => window.__embedding.error ?? null);
  if (error) throw new Error(`embedding page: ${error}`);
  await sleep(300);
  const picture = await pixels(page);
  const at = await page.evaluate((i) => window.__embedding.screenOf(i), target);
  await page.mouse.move(at.x, at.y);
  await page.waitForFunction(() => window.__embedding.hovered() >= 0, null, { timeout: 5000 }).catch(() => {});
  await sleep(200);
  const thumb = await thumbPixels(page);
  await shot(page, `${opt('prefix', 'viewer')}-embedding-${name}.png`);
  return { url: page.url(), listed, nonBackground: picture.fraction, target, hovered: await page.evaluate(() => window.__embedding.hovered()), thumb,
    point: await page.textContent('#point'), neighbors: await page.textContent('#neighbors'), status: await page.textContent('#folder-status'),
    runControlsHidden: await page.evaluate(() => document.getElementById('run-controls').hidden && document.getElementById('snapshot-controls').hidden),
    legend: await page.evaluate(() => document.getElementById('classes-part').hidden ? [] : [...document.querySelectorAll('#classes div')].map((d) => d.textContent.trim())) };
}

const consoleErrors = [];
function watch(page) {
  page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });
  page.on('pageerror', (e) => consoleErrors.push(String(e)));
}

const userDataDir = await mkdtemp(path.join(os.tmpdir(), 'neurocore-chromium-'));
let context, code = 0;
try {
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath, headless: true, viewport: { width: 1280, height: 800 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run', '--disable-quic', '--use-angle=swiftshader', '--enable-unsafe-swiftshader'],
  });
  // Refuse anything that is not our own server: no CDN, no internet.
  await context.route('**/*', (route) => route.request().url().startsWith(base) ? route.continue() : route.abort());
  const page = context.pages()[0] ?? await context.newPage();
  watch(page);
  const scenarios = { viewer, live, playground, bench, 'playground-rate': playgroundRate, exports: exportsScenario, embedding, 'embedding-animation': embeddingAnimation, 'embedding-folder': embeddingFolder };
  if (!scenarios[scenario]) throw new Error(`unknown scenario ${scenario}`);
  const result = await scenarios[scenario](page);
  // --allow-404: a scenario that expects the browser to report a missing endpoint (the render API).
  result.consoleErrors = rest.includes('--allow-404') ? consoleErrors.filter((e) => !e.includes('status of 404')) : consoleErrors;
  emit(result);
} catch (e) {
  console.error(`viewer-e2e.mjs ${scenario}: ${e && e.stack ? e.stack : e}`);
  console.error(`console errors: ${consoleErrors.join(' | ')}`);
  code = 1;
} finally {
  if (context) await context.close();
  await rm(userDataDir, { recursive: true, force: true });
}
process.exit(code);
