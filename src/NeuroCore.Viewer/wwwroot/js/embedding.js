// The embedding page: a 3D scatter of one layer's probe activations (PCA or t-SNE from
// GET /api/runs/{id}/embedding), coloured by class with the shared palette; hover shows the item
// (label, and its image for image inputs) and highlights its nearest neighbours in activation space.
// "animate" loads the layer at several snapshots (GET /api/runs/{id}/embedding/frames) and plays or
// scrubs them: positions interpolate between frames in place (one position attribute, needsUpdate).
// At /embeddings/{name} the same page shows an embedding output folder the server registered
// (GET /api/embeddings/{name}: word2vec words, or data with its sprite image): no layer, step or frames.
import * as THREE from 'three';
import { Stage } from './scene.js';
import { getJson } from './api.js';

const id = decodeURIComponent(location.pathname.split('/')[2] || '');
/** 'run' (a run's layer, /runs/{id}/embedding) or 'folder' (a registered embedding folder, /embeddings/{name}). */
const mode = location.pathname.split('/')[1] === 'embeddings' ? 'folder' : 'run';
/** Where the hovered point's neighbours were found, as the neighbour line says it. */
let neighborSpace = 'nearest in activation space';
const params = new URLSearchParams(location.search);
const $ = (s) => document.getElementById(s);
const stage = new Stage($('stage'));
const raycaster = new THREE.Raycaster();
let points = null, highlight = null, links = null, data = null, hovered = -1;
/** Current positions (x, y, z per point), what is drawn and hovered; the frames when animating. */
let current = null, anim = null, playing = false, shownTime = 0;
window.__embedding = { ready: false };

/** A round point sprite (points are squares otherwise). */
const disc = (() => {
  const c = document.createElement('canvas'); c.width = c.height = 64;
  const g = c.getContext('2d'); g.fillStyle = '#fff'; g.beginPath(); g.arc(32, 32, 30, 0, 2 * Math.PI); g.fill();
  return new THREE.CanvasTexture(c);
})();

function srgb(hex) { return new THREE.Color().setStyle(hex, THREE.SRGBColorSpace); }

async function init() {
  if (mode === 'folder') return initFolder();
  $('back').href = `/runs/${encodeURIComponent(id)}`;
  const view = await getJson(`/api/runs/${encodeURIComponent(id)}/view?budget=0`);
  $('title').textContent = `${id} · embedding`;
  for (const l of view.layers.slice(1)) $('layer').add(new Option(l.name, l.name));
  for (const s of view.snapshots) $('step').add(new Option(String(s.step), String(s.step)));
  $('layer').value = params.get('layer') || view.layers[Math.max(1, view.layers.length - 2)].name;
  $('step').value = params.get('step') || String(view.snapshots.at(-1)?.step ?? '');
  $('method').value = params.get('method') === 'tsne' ? 'tsne' : 'pca';
  $('apply').onclick = () => {
    const q = new URLSearchParams({ layer: $('layer').value, step: $('step').value, method: $('method').value });
    history.replaceState(null, '', `?${q}`);
    load().catch(fail);
  };
  $('reset').onclick = () => stage.resetView();
  $('animate').onclick = () => animate().catch((e) => { $('frame-status').textContent = `error: ${e.message}`; fail(e); });
  $('play').onclick = () => togglePlay();
  $('frame').addEventListener('input', () => { stopPlay(); setTime(+$('frame').value); });
  stage.renderer.domElement.addEventListener('pointermove', (e) => hover(e));
  await load();
  if (params.get('animate')) { $('frames').value = params.get('frames') || $('frames').value; await animate(); }
}

/** A registered embedding folder: its points, names, classes, neighbours and sprite, drawn once. */
async function initFolder() {
  $('back').href = '/'; $('back').textContent = 'all runs and embeddings';
  $('run-controls').hidden = $('snapshot-controls').hidden = true;
  $('folder-info').hidden = false;
  $('reset').onclick = () => stage.resetView();
  stage.renderer.domElement.addEventListener('pointermove', (e) => hover(e));
  $('folder-status').textContent = 'loading…';
  data = await getJson(`/api/embeddings/${encodeURIComponent(id)}`);
  if (data.sprite) data.spriteImage = await loadImage(data.sprite.url);
  neighborSpace = data.neighborSpace === 'input'
    ? `nearest in the input space (${data.inputDimensions}-d vectors)`
    : data.neighborSpace === 'embedding' ? 'nearest in the embedding\'s own coordinates (the folder has no input-space neighbours)'
      : 'no neighbours (the folder stores none, and it is too large to search them here)';
  build();
  const m = data.metrics || {};
  const figures = Object.entries(m).filter(([, v]) => v !== null).map(([k, v]) => `${k} ${(+v).toFixed(3)}`).join(' · ');
  $('title').textContent = `${data.name} · embedding`;
  $('hud').textContent = `${data.name}: ${data.description || ''} (${data.method})`;
  $('folder-status').textContent = `${data.count} points, ${data.inputDimensions}-d → ${data.dimensions}-d ${data.method}${figures ? `; ${figures}` : ''}`;
  $('about').textContent = `Hovering a point names it${data.sprite ? ', draws its image' : ''} and highlights its nearest neighbours ` +
    (data.neighborSpace === 'input' ? 'in the input space (as the writer stored them).'
      : data.neighborSpace === 'embedding' ? 'in the embedding\'s own coordinates (no input-space neighbours in the folder).' : '(none stored in the folder).');
  showClasses();
  publish();
}

function loadImage(url) {
  return new Promise((resolve, reject) => {
    const img = new Image();
    img.onload = () => resolve(img);
    img.onerror = () => reject(new Error(`the sprite ${url} did not load`));
    img.src = url;
  });
}

function fail(e) { $('status').textContent = `error: ${e.message}`; window.__embedding.error = e.message; }

async function load() {
  window.__embedding.ready = false;
  stopPlay(); anim = null; setAnimationControls();
  $('status').textContent = 'computing…';
  const q = new URLSearchParams({ layer: $('layer').value, step: $('step').value, method: $('method').value, dims: '3' });
  data = await getJson(`/api/runs/${encodeURIComponent(id)}/embedding?${q}`);
  if (data.images) data.imageBytes = Uint8Array.from(atob(data.images), (c) => c.charCodeAt(0));
  build();
  const m = data.metrics || {};
  const figures = Object.entries(m).filter(([, v]) => v !== null).map(([k, v]) => `${k} ${(+v).toFixed(3)}`).join(' · ');
  $('status').textContent = `${data.count} of ${data.recorded} probe inputs, ${data.inputDimensions}-d → ${data.dimensions}-d ${data.method}; ${figures}`;
  $('hud').textContent = `${data.layer} at step ${data.step} (${data.method})`;
  showClasses();
  publish();
}

/** The legend: the named classes, or, for labels without names (an IDX file's digits), the labels that occur. */
function showClasses() {
  $('classes').innerHTML = '';
  const named = data.classes || [];
  const legend = named.length ? named.map((name, label) => ({ label, name }))
    : [...new Set(data.points.map((p) => p.label).filter((l) => l !== undefined && l !== null))].sort((a, b) => a - b).map((label) => ({ label, name: `label ${label}` }));
  $('classes-part').hidden = !legend.length;
  for (const { label, name } of legend) {
    const row = document.createElement('div');
    row.innerHTML = `<span style="display:inline-block;width:10px;height:10px;background:${data.colors[label % data.colors.length]}"></span> `;
    row.append(name); $('classes').append(row);
  }
}

/** What tests and tools read: readiness, the shown frame, positions on screen and in the scene. */
function publish() {
  window.__embedding = {
    ready: true, count: data.count, screenOf, hovered: () => hovered,
    frames: anim ? anim.frames.length : 0, time: () => shownTime, step: () => (anim ? anim.steps[Math.round(shownTime)] : data.step),
    position: (i) => [current[3 * i], current[3 * i + 1], current[3 * i + 2]], playing: () => playing,
  };
}

/** Loads the layer's frames across snapshots and shows the last one; the slider and play button then move through them. */
async function animate() {
  window.__embedding.ready = false;
  stopPlay();
  const frames = Math.max(1, Math.min(24, Math.round(+$('frames').value || 12)));
  $('frame-status').textContent = `computing ${frames} frames…`;
  const q = new URLSearchParams({ layer: $('layer').value, method: $('method').value, dims: '3', frames: String(frames) });
  const doc = await getJson(`/api/runs/${encodeURIComponent(id)}/embedding/frames?${q}`);
  data = doc;
  if (data.images) data.imageBytes = Uint8Array.from(atob(data.images), (c) => c.charCodeAt(0));
  build();
  const d = data.dimensions, n = data.count;
  const pos = data.frames.map((f) => {
    const raw = Uint8Array.from(atob(f.positions), (c) => c.charCodeAt(0));
    const v = new Float32Array(raw.buffer), p = new Float32Array(3 * n);
    for (let i = 0; i < n; i++) for (let a = 0; a < d; a++) p[3 * i + a] = v[d * i + a];
    return p;
  });
  spreadLike(pos, pos[pos.length - 1]);
  anim = { frames: pos, steps: data.frames.map((f) => f.step), kl: data.frames.map((f) => f.klDivergence) };
  // Frame the union of every frame so the camera need not move while the points do.
  const min = [Infinity, Infinity, Infinity], max = [-Infinity, -Infinity, -Infinity];
  for (const p of pos) for (let i = 0; i < p.length; i++) { const a = i % 3; min[a] = Math.min(min[a], p[i]); max[a] = Math.max(max[a], p[i]); }
  stage.frame(min, max);
  setAnimationControls();
  setTime(pos.length - 1);
  $('status').textContent = `${data.count} of ${data.recorded} probe inputs, ${data.frames.length} snapshots, ${data.method} in ${(+data.seconds).toFixed(1)} s`;
  history.replaceState(null, '', `?${new URLSearchParams({ layer: $('layer').value, method: $('method').value, animate: '1', frames: String(frames) })}`);
  publish();
}

/** Centroid and root-mean-square distance from it of a frame (x, y, z per point). */
function spread(p) {
  const n = p.length / 3, c = [0, 0, 0];
  for (let i = 0; i < p.length; i++) c[i % 3] += p[i] / n;
  let r = 0;
  for (let i = 0; i < p.length; i++) r += (p[i] - c[i % 3]) ** 2;
  return { c, r: Math.sqrt(r / n) };
}

/**
 * Scales every frame about its centroid to the spread of `target` and moves it onto target's centroid (in place):
 * a t-SNE layout keeps growing as it is optimized, so without this the early frames would be a speck in the
 * later ones' box. Only the scale changes; where points sit relative to each other is each frame's own.
 */
function spreadLike(frames, target) {
  const t = spread(target);
  for (const p of frames) {
    const s = spread(p), k = s.r > 0 ? t.r / s.r : 1;
    for (let i = 0; i < p.length; i++) p[i] = t.c[i % 3] + (p[i] - s.c[i % 3]) * k;
  }
}

function setAnimationControls() {
  const f = anim ? anim.frames.length : 0;
  $('frame').max = String(Math.max(0, f - 1));
  $('frame').disabled = $('play').disabled = f < 2;
  if (!anim) $('frame').value = '0';
}

/** Shows time t (frame index, fractional between frames): every point between its two frames' positions, eased. */
function setTime(t) {
  if (!anim) return;
  const last = anim.frames.length - 1;
  t = Math.max(0, Math.min(last, t));
  const k = Math.min(Math.floor(t), Math.max(0, last - 1)), u = last === 0 ? 0 : t - k;
  const e = u * u * (3 - 2 * u);
  const a = anim.frames[k], b = anim.frames[Math.min(k + 1, last)];
  for (let i = 0; i < current.length; i++) current[i] = a[i] + (b[i] - a[i]) * e;
  points.geometry.attributes.position.needsUpdate = true;
  // The raycaster tests the bounding sphere first: it must follow the points.
  points.geometry.computeBoundingSphere();
  shownTime = t;
  $('frame').value = String(t);
  const near = Math.round(t);
  const kl = anim.kl[near];
  $('hud').textContent = `${data.layer} at step ${anim.steps[near]} (${data.method}, frame ${near + 1}/${last + 1})`;
  $('frame-status').textContent = `step ${anim.steps[near]}${kl != null ? ` · KL ${(+kl).toFixed(3)}` : ''} · frames at steps ${anim.steps.join(', ')}`;
  const h = hovered; hovered = -2; show(h); // redraw the highlight at the new positions
}

function togglePlay() { if (playing) stopPlay(); else startPlay(); }
function stopPlay() { playing = false; $('play').textContent = 'play'; }

function startPlay() {
  if (!anim || anim.frames.length < 2) return;
  const last = anim.frames.length - 1;
  if (shownTime >= last) setTime(0);
  playing = true; $('play').textContent = 'pause';
  let before = performance.now();
  const tick = (now) => {
    if (!playing) return;
    // 1.5 frames a second: slow enough to follow single points.
    const t = shownTime + (now - before) / 1000 * 1.5;
    before = now;
    setTime(t);
    if (t >= last) { stopPlay(); return; }
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
}

function build() {
  for (const o of [points, highlight, links]) if (o) { stage.scene.remove(o); o.geometry.dispose(); o.material.dispose(); }
  const n = data.count;
  const pos = new Float32Array(n * 3), col = new Float32Array(n * 3);
  current = pos;
  const min = [Infinity, Infinity, Infinity], max = [-Infinity, -Infinity, -Infinity];
  data.points.forEach((p, i) => {
    for (let a = 0; a < 3; a++) { const v = p.position[a] ?? 0; pos[3 * i + a] = v; min[a] = Math.min(min[a], v); max[a] = Math.max(max[a], v); }
    const c = srgb(p.label === undefined ? '#cccccc' : data.colors[p.label % data.colors.length]);
    col[3 * i] = c.r; col[3 * i + 1] = c.g; col[3 * i + 2] = c.b;
  });
  // Points sized relative to the cloud so PCA (small ranges) and t-SNE (large ones) look alike.
  const extent = Math.max(...max.map((v, a) => v - min[a]), 1e-6);
  data.size = extent / 28;
  const g = new THREE.BufferGeometry();
  g.setAttribute('position', new THREE.BufferAttribute(pos, 3));
  g.setAttribute('color', new THREE.BufferAttribute(col, 3));
  points = new THREE.Points(g, new THREE.PointsMaterial({ size: data.size, vertexColors: true, sizeAttenuation: true, map: disc, alphaTest: 0.5 }));
  stage.scene.add(points);
  highlight = new THREE.Points(new THREE.BufferGeometry(), new THREE.PointsMaterial({ size: data.size * 1.5, color: 0xffffff, sizeAttenuation: true, map: disc, alphaTest: 0.5 }));
  links = new THREE.LineSegments(new THREE.BufferGeometry(), new THREE.LineBasicMaterial({ color: 0xffffff, transparent: true, opacity: 0.6 }));
  stage.scene.add(highlight, links);
  raycaster.params.Points.threshold = data.size * 0.5;
  stage.frame(min, max);
  hovered = -1;
}

/** Screen position (CSS pixels, relative to the page) of point i, for tests and tools. */
function screenOf(i) {
  const p = new THREE.Vector3(current[3 * i], current[3 * i + 1], current[3 * i + 2]).project(stage.camera);
  const r = stage.renderer.domElement.getBoundingClientRect();
  return { x: r.left + (p.x + 1) / 2 * r.width, y: r.top + (1 - p.y) / 2 * r.height };
}

function hover(e) {
  if (!points) return;
  const r = stage.renderer.domElement.getBoundingClientRect();
  const ndc = new THREE.Vector2((e.clientX - r.left) / r.width * 2 - 1, -((e.clientY - r.top) / r.height) * 2 + 1);
  raycaster.setFromCamera(ndc, stage.camera);
  const hits = raycaster.intersectObject(points);
  // The hit nearest the ray (not the nearest to the camera): what the pointer is on.
  const best = hits.sort((a, b) => a.distanceToRay - b.distanceToRay)[0];
  show(best ? best.index : -1);
  // The item's name next to the pointer, so a word is read where it sits in the cloud.
  const tip = $('tip');
  tip.hidden = hovered < 0;
  if (hovered >= 0) { tip.textContent = data.points[hovered].name; tip.style.left = `${e.clientX - r.left + 14}px`; tip.style.top = `${e.clientY - r.top + 10}px`; }
}

function show(i) {
  if (i === hovered) return;
  hovered = i;
  const p = i >= 0 ? data.points[i] : null;
  const nb = p?.neighbors || [];
  const at = (j) => [current[3 * j], current[3 * j + 1], current[3 * j + 2]];
  highlight.geometry.setAttribute('position', new THREE.BufferAttribute(new Float32Array((p ? [i, ...nb] : []).flatMap(at)), 3));
  links.geometry.setAttribute('position', new THREE.BufferAttribute(new Float32Array(nb.flatMap((j) => [...at(i), ...at(j)])), 3));
  $('point').textContent = p ? `${p.name}${p.labelName !== undefined ? ` — class ${p.labelName}` : ''}` : 'Hover a point.';
  $('neighbors').textContent = !p ? '' : nb.length === 0 ? neighborSpace : `${neighborSpace}: ${nb.map((j) => data.points[j].name).join(', ')}`;
  drawImage(i);
  stage.requestRender();
}

function drawImage(i) {
  const canvas = $('thumb');
  if (i >= 0 && data.spriteImage) { drawSpriteCell(canvas, i); return; }
  if (i < 0 || !data.imageBytes) { canvas.hidden = true; return; }
  const [h, w, ch = 1] = data.imageShape;
  const per = h * w * ch, ctx = canvas.getContext('2d');
  canvas.width = w; canvas.height = h;
  const img = ctx.createImageData(w, h);
  for (let k = 0; k < h * w; k++) {
    for (let c = 0; c < 3; c++) img.data[4 * k + c] = data.imageBytes[i * per + k * ch + (ch === 3 ? c : 0)];
    img.data[4 * k + 3] = 255;
  }
  ctx.putImageData(img, 0, 0);
  canvas.hidden = false;
}

/** Point i's cell of the Projector sprite: cells row by row, floor(side / cell width) to a row. */
function drawSpriteCell(canvas, i) {
  const { cellWidth: w, cellHeight: h } = data.sprite, img = data.spriteImage;
  const perRow = Math.max(1, Math.floor(img.naturalWidth / w));
  canvas.width = w; canvas.height = h;
  const ctx = canvas.getContext('2d');
  ctx.clearRect(0, 0, w, h);
  ctx.drawImage(img, (i % perRow) * w, Math.floor(i / perRow) * h, w, h, 0, 0, w, h);
  canvas.hidden = false;
}

init().catch(fail);
