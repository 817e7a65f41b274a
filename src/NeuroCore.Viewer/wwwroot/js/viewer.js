// The run viewer (/runs/{id}): wires the stage, the network, the timeline, charts, picking, legend, live mode.
import { getJson } from './api.js';
import { ColorMaps } from './colors.js';
import { Stage } from './scene.js';
import { NetworkView } from './network.js';
import { Timeline } from './timeline.js';
import { Chart, lossSeries, accuracySeries } from './charts.js';
import { Picker } from './picking.js';
import { OutputLabels } from './labels.js';
import { drawLegend } from './legend.js';
import { LiveFeed } from './live.js';
import { Exports } from './exports.js';

const $ = (id) => document.getElementById(id);
const runId = decodeURIComponent(location.pathname.split('/').filter(Boolean)[1] ?? '');
const api = `/api/runs/${encodeURIComponent(runId)}`;
const test = window.neurocore = { ready: false, shownStep: null, errors: [] };

/** Draws now and waits for the GPU to finish (a 1-pixel read), returning the time: when the frame is really there. */
export function drawnAt(stage) {
  stage.render();
  const gl = stage.renderer.getContext();
  gl.readPixels(0, 0, 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, new Uint8Array(4));
  return performance.now();
}

async function main() {
  const params = new URLSearchParams(location.search);
  const budgetParam = params.get('budget');
  const view = await getJson(`${api}/view${budgetParam ? `?budget=${encodeURIComponent(budgetParam)}` : ''}`);
  document.title = `${runId} · NeuroCore`;
  $('title').textContent = `${runId} · ${view.model} · ${view.parameters.toLocaleString('en')} parameters${view.dataset ? ' · ' + view.dataset : ''}`;
  const maps = new ColorMaps(view.colors);
  const stage = new Stage($('stage'));
  const network = new NetworkView(stage, view, maps);
  stage.frame(view.bounds.min, view.bounds.max);
  $('reset').addEventListener('click', () => stage.resetView());

  let probe = Number(params.get('probe') ?? 0);
  const probeSel = $('probe');
  if (view.probe) {
    for (let k = 0; k < view.probe.count; k++) {
      const o = document.createElement('option'); o.value = String(k);
      const label = view.probe.labels?.[k];
      o.textContent = `#${k}${label != null ? ` · ${view.classNames?.[label] ?? label}` : ''}`;
      probeSel.append(o);
    }
    probe = Math.min(Math.max(0, probe), view.probe.count - 1);
    probeSel.value = String(probe);
  } else { probeSel.disabled = true; $('probe-info').textContent = 'the run recorded no probe'; }

  // Connections and the honest count line.
  const setCount = (c) => { $('count').textContent = `${c.shown.toLocaleString('en')} of ${c.total.toLocaleString('en')} connections drawn`; test.connections = c; };
  network.setConnections(view.connections);
  setCount(view.connections);
  $('budget').value = String(view.connections.budget);
  $('budget-apply').addEventListener('click', async () => {
    const c = await getJson(`${api}/view/connections?budget=${Number($('budget').value) || 0}`);
    network.setConnections(c); setCount(c); $('budget').value = String(c.budget);
  });

  const chart = new Chart($('chart'), [lossSeries, accuracySeries]);
  chart.set(view.snapshots);
  const labels = new OutputLabels(stage, network, $('stage'), view.classNames);
  const picker = new Picker(stage, network, $('info'), () => ({ probe, classNames: view.classNames }));
  drawLegend($('legend'), maps, view.classNames);

  const cache = new Map();
  const load = (step) => {
    const key = `${step}:${probe}`;
    if (!cache.has(key)) {
      cache.set(key, getJson(`${api}/view/steps/${step}?probe=${probe}`).catch((e) => { cache.delete(key); throw e; }));
      if (cache.size > 96) cache.delete(cache.keys().next().value);
    }
    return cache.get(key);
  };
  let shown = 0;
  const show = async (snap) => {
    if (!snap) return;
    const ticket = ++shown;
    const data = await load(snap.step);
    if (ticket !== shown) return; // a later move overtook this one
    network.update(data);
    labels.update();
    picker.refresh();
    chart.setCursor(snap.step);
    const input = view.probe && view.layers[0].shape.length === 1 ? network.step.decoded[0].activations : null;
    $('probe-info').textContent = input ? `(${Array.from(input.slice(0, 4), (v) => v.toFixed(3)).join(', ')})` : '';
    $('hud').textContent = `step ${snap.step} · epoch ${snap.epoch}${snap.loss != null ? ` · loss ${snap.loss.toPrecision(4)}` : ''}${snap.accuracy != null ? ` · accuracy ${(100 * snap.accuracy).toFixed(1)}%` : ''}`;
    test.shownStep = snap.step;
    if (test.firstFrameMs == null) { test.firstFrameMs = drawnAt(stage); }
  };

  const timeline = new Timeline($('timeline'), view.snapshots, (snap) => show(snap));
  probeSel.addEventListener('change', () => { probe = Number(probeSel.value); show(timeline.current); });
  const last = view.snapshots.length - 1;
  const startAt = params.get('step') != null ? Math.max(0, view.snapshots.findIndex((s) => s.step >= Number(params.get('step')))) : last;
  if (view.snapshots.length) await timeline.go(startAt < 0 ? last : startAt);

  // Live mode: new snapshots arrive as server-sent events; "follow latest" jumps to each.
  const badge = $('live-badge');
  const follow = $('follow');
  follow.checked = !view.finished;
  if (!view.finished) {
    badge.hidden = false; badge.textContent = 'recording'; badge.classList.add('live');
    let refetching = false;
    const feed = new LiveFeed(runId, view.snapshots.at(-1)?.step ?? null, (snap) => {
      if (view.snapshots.some((s) => s.step === snap.step)) return;
      view.snapshots.push(snap);
      timeline.refresh();
      // Opened before the first snapshot: there was nothing to pick connections from yet.
      if (test.connections.shown === 0 && test.connections.total > 0 && !refetching) {
        refetching = true;
        getJson(`${api}/view/connections?budget=${Number($('budget').value) || 0}`).then((c) => { network.setConnections(c); setCount(c); })
          .finally(() => { refetching = false; });
      }
      chart.set(view.snapshots);
      if (follow.checked) timeline.go(view.snapshots.length - 1);
    }, () => { badge.textContent = 'finished'; badge.classList.remove('live'); }, (state) => {
      if (badge.textContent !== 'finished') badge.textContent = state === 'live' ? 'live' : state;
    });
    window.addEventListener('beforeunload', () => feed.close());
  }

  new Exports($('exports'), runId, () => timeline.current?.step);
  Object.assign(test, {
    view, stage, network, timeline, drawnAt: () => drawnAt(stage),
    /** Screen point of neuron k of layer i, relative to the page (for tests clicking a known neuron). */
    screenOf(i, k) {
      const s = stage.toScreen(network.neuronPosition(i, k));
      const r = stage.renderer.domElement.getBoundingClientRect();
      return { x: r.left + s.x, y: r.top + s.y };
    },
    ready: true,
  });
}

main().catch((e) => {
  $('title').textContent = '';
  const m = document.createElement('div'); m.className = 'error'; m.style.padding = '12px';
  m.textContent = `Cannot show run '${runId}': ${e.message}`;
  $('stage').append(m);
  test.failed = e.message;
});
