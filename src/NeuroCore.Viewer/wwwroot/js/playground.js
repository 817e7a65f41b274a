// The playground (/playground): a configuration (in the URL) trains on the server as a session; its live
// frames (server-sent events) update the 3D network, the decision regions and the loss curve.
import { getJson, postJson } from './api.js';
import { ColorMaps } from './colors.js';
import { Stage } from './scene.js';
import { NetworkView } from './network.js';
import { Chart, lossSeries, accuracySeries } from './charts.js';
import { Picker } from './picking.js';
import { OutputLabels } from './labels.js';
import { drawLegend } from './legend.js';
import { DecisionPanel } from './decision.js';
import { ConfigForm, fromQuery, toQuery } from './pgconfig.js';

const $ = (id) => document.getElementById(id);
const pg = window.playground = { ready: false, frames: 0, accuracy: null, step: 0 };
const stage = new Stage($('stage'));
let session = null, network = null, labels = null, picker = null, maps = null, decision = null, view = null;
const curve = [];
const chart = new Chart($('chart'), [lossSeries, accuracySeries]);
const message = (text, isError) => { $('message').textContent = text ?? ''; $('message').className = `row ${isError ? 'error' : 'message'}`; };

async function deleteSession() {
  if (!session) return;
  const sid = session.sessionId;
  session = null;
  await fetch(`/api/playground/sessions/${sid}`, { method: 'DELETE', keepalive: true }).catch(() => {});
}

async function openRun(runId) {
  view = await getJson(`/api/runs/${encodeURIComponent(runId)}/view?budget=20000`);
  maps ??= new ColorMaps(view.colors);
  decision ??= new DecisionPanel($('decision'), maps);
  network?.dispose(); labels?.dispose();
  network = new NetworkView(stage, view, maps);
  network.dynamicScale = true; // weights grow while training live: colour each frame by its own largest |w|
  network.setConnections(view.connections);
  labels = new OutputLabels(stage, network, $('stage'), view.classNames);
  if (picker) picker.network = network; else picker = new Picker(stage, network, $('info'), () => ({ probe: 0, classNames: view.classNames }));
  stage.frame(view.bounds.min, view.bounds.max);
  drawLegend($('legend'), maps, view.classNames);
  $('run-link').href = `/runs/${encodeURIComponent(runId)}`;
  $('run-link').textContent = `recorded run ${runId}`;
  pg.runId = runId;
}

async function start(config) {
  await deleteSession();
  message('');
  curve.length = 0; chart.set(curve);
  try {
    session = await postJson('/api/playground/sessions', config);
  } catch (e) {
    $('status').textContent = 'not training';
    message(e.status === 429 ? `${e.message}` : `Cannot start: ${e.message}`, e.status !== 429);
    pg.refused = { status: e.status, message: e.message };
    return;
  }
  pg.sessionId = session.sessionId;
  await openRun(session.runId);
  const points = await getJson(`/api/playground/sessions/${session.sessionId}/points`);
  decision.setPoints(points);
  decision.draw(null);
  $('decision-note').hidden = !points;
  pg.ready = true;
  poll(session.sessionId);
}

/** Asks for the next frame once the last one is drawn (long-poll), so a slow browser never falls behind. */
async function poll(sid) {
  let version = 0;
  while (session?.sessionId === sid) {
    let res;
    try { res = await fetch(`/api/playground/sessions/${sid}/frame?after=${version}`); } catch { await new Promise((r) => setTimeout(r, 500)); continue; }
    if (session?.sessionId !== sid) return;
    if (res.status === 200) {
      const f = await res.json();
      version = f.version;
      await onFrame(f);
      if (f.state === 'stopped') { message('Training stopped.'); return; }
    } else if (res.status !== 204) {
      message(`The session ended: ${(await res.json().catch(() => ({}))).detail ?? res.status}`, true);
      return;
    }
  }
}

let opening = null;
async function onFrame(f) {
  if (f.runId !== pg.runId) { // reset: a fresh training records a new run
    if (!opening) opening = openRun(f.runId).finally(() => { opening = null; });
    curve.length = 0;
    await opening;
  }
  network.update(f);
  labels.update();
  picker.refresh();
  if (f.grid) decision.draw(f.grid); else if (pg.frames === 0) decision.draw(null);
  if (!curve.length || curve.at(-1).step !== f.step) {
    if (curve.length && f.step < curve.at(-1).step) curve.length = 0;
    curve.push({ step: f.step, loss: f.loss, accuracy: f.accuracy });
    if (curve.length > 2000) curve.splice(0, curve.length - 2000);
    chart.set(curve);
    chart.setCursor(f.step);
  }
  pg.frames++; pg.accuracy = f.accuracy; pg.step = f.step; pg.state = f.state;
  const text = `${f.state} · step ${f.step} · epoch ${f.epoch} · loss ${f.loss?.toPrecision(4) ?? '–'} · accuracy ${(100 * f.accuracy).toFixed(1)}%`;
  $('status').textContent = text;
  $('hud').textContent = text + ` · ${f.snapshots} snapshots recorded`;
}

const command = (name) => async () => {
  if (!session) return;
  try { await postJson(`/api/playground/sessions/${session.sessionId}/${name}`); }
  catch (e) { message(e.message, true); }
};
$('start').addEventListener('click', command('start'));
$('pause').addEventListener('click', command('pause'));
$('step').addEventListener('click', command('step'));
$('reset').addEventListener('click', command('reset'));
window.addEventListener('pagehide', () => { deleteSession(); });

let timer = null;
const config = fromQuery(location.search);
new ConfigForm(config, (c) => {
  window.history.replaceState(null, '', toQuery(c));
  clearTimeout(timer);
  timer = setTimeout(() => start(c), 250); // a changed network is a new training (and a new run)
});
window.history.replaceState(null, '', toQuery(config));
pg.config = config;
start(config);
