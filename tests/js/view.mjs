// Loads a glTF/GLB file with three.js GLTFLoader in headless Chromium (playwright-core driving the
// system Chromium) and reports what a real viewer sees, as one JSON line:
//   {"meshes":N, "nodes":N, "namedNodes":[...first], "animations":[{name,duration,tracks,keyframes}],
//    "nonBackgroundFraction":F, "visibleSnapshots":[...], ...}
// Usage: node view.mjs FILE [--time SECONDS] [--png OUT.png] [--chromium PATH]
// Everything is served from a local static server on 127.0.0.1; the page makes no other requests.
import http from 'node:http';
import { readFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const args = process.argv.slice(2);
const opt = (name, def) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : def; };
const file = args[0];
if (!file || file.startsWith('--')) { console.error('usage: node view.mjs FILE [--time S] [--png OUT.png]'); process.exit(2); }
const time = opt('--time', null);
const png = opt('--png', null);
const executablePath = opt('--chromium', process.env.CHROMIUM_PATH || '/usr/bin/chromium');
const here = path.dirname(fileURLToPath(import.meta.url));
const modelDir = path.resolve(path.dirname(file));
const threeDir = path.join(here, 'node_modules', 'three');

const page = `<!doctype html><html><head><meta charset="utf-8">
<script type="importmap">{"imports":{"three":"/three/build/three.module.js","three/addons/":"/three/examples/jsm/"}}</script>
</head><body style="margin:0"><script type="module">
import * as THREE from 'three';
import { GLTFLoader } from 'three/addons/loaders/GLTFLoader.js';
window.run = async (url, time) => {
  const W = 640, H = 480;
  const renderer = new THREE.WebGLRenderer({ antialias: false, preserveDrawingBuffer: true });
  renderer.setSize(W, H);
  document.body.appendChild(renderer.domElement);
  const gltf = await new GLTFLoader().loadAsync(url);
  const scene = new THREE.Scene();
  const bg = new THREE.Color(0.5, 0.5, 0.5);
  scene.background = bg;
  scene.add(gltf.scene);
  let meshes = 0, vertices = 0, objects = 0;
  const named = [];
  gltf.scene.traverse((o) => {
    objects++;
    if (o.isMesh) { meshes++; vertices += o.geometry.attributes.position.count; }
    if (o.userData && o.userData.name) named.push(o.userData.name);
  });
  const anims = gltf.animations.map((a) => ({ name: a.name, duration: a.duration, tracks: a.tracks.length,
    keyframes: a.tracks.length ? a.tracks[0].times.length : 0,
    interpolations: [...new Set(a.tracks.map((t) => t.getInterpolation()))] }));
  if (gltf.animations.length && time !== null) {
    const mixer = new THREE.AnimationMixer(gltf.scene);
    for (const clip of gltf.animations) mixer.clipAction(clip).play();
    mixer.setTime(time);
  }
  gltf.scene.updateMatrixWorld(true);
  const visibleSnapshots = [];
  gltf.scene.traverse((o) => {
    const n = o.userData && o.userData.name;
    if (n && /^step_\\d+$/.test(n)) {
      const s = o.scale; // local scale: the STEP keys animate it (parents have scale 1)
      if (s.x > 0) visibleSnapshots.push(n);
    }
  });
  // Frame the whole network from an oblique front view.
  const box = new THREE.Box3().setFromObject(gltf.scene, true);
  const size = box.getSize(new THREE.Vector3()), center = box.getCenter(new THREE.Vector3());
  const camera = new THREE.PerspectiveCamera(45, W / H, 0.01, 1000);
  const dist = Math.max(size.x, size.y, size.z) * 1.2 + 0.1;
  camera.position.copy(center).add(new THREE.Vector3(-0.35 * dist, 0.3 * dist, dist));
  camera.lookAt(center);
  renderer.render(scene, camera);
  const gl = renderer.getContext();
  const px = new Uint8Array(W * H * 4);
  gl.readPixels(0, 0, W, H, gl.RGBA, gl.UNSIGNED_BYTE, px);
  const bgb = Math.round(255 * bg.clone().convertLinearToSRGB().r);
  let differ = 0; const colors = new Set();
  for (let i = 0; i < px.length; i += 4) {
    if (Math.abs(px[i] - bgb) + Math.abs(px[i + 1] - bgb) + Math.abs(px[i + 2] - bgb) > 24) differ++;
    colors.add((px[i] >> 4) << 8 | (px[i + 1] >> 4) << 4 | (px[i + 2] >> 4));
  }
  const json = gltf.parser.json;
  return { meshes, vertices, objects, nodes: json.nodes.length, gltfMeshes: (json.meshes || []).length,
    namedCount: named.length, named: named.slice(0, 5), neuronNodes: named.filter((n) => /\\/neuron_\\d+$/.test(n)).length,
    animations: anims, visibleSnapshots, sceneExtras: gltf.scene.userData, fileExtras: json.extras ?? null,
    extensionsUsed: json.extensionsUsed ?? [], nonBackgroundFraction: differ / (W * H), distinctColors: colors.size,
    webgl: gl.getParameter(gl.VERSION) };
};
window.ready = true;
</script></body></html>`;

const types = { '.js': 'text/javascript', '.mjs': 'text/javascript', '.html': 'text/html', '.glb': 'model/gltf-binary', '.gltf': 'model/gltf+json', '.bin': 'application/octet-stream' };
const server = http.createServer(async (req, res) => {
  try {
    const url = decodeURIComponent(new URL(req.url, 'http://127.0.0.1').pathname);
    let p;
    if (url === '/' || url === '/index.html') { res.writeHead(200, { 'content-type': 'text/html' }); res.end(page); return; }
    if (url.startsWith('/three/')) p = path.join(threeDir, url.slice('/three/'.length));
    else if (url.startsWith('/model/')) p = path.join(modelDir, url.slice('/model/'.length));
    const root = url.startsWith('/three/') ? threeDir : modelDir;
    if (!p || !path.resolve(p).startsWith(root)) { res.writeHead(404); res.end(); return; }
    const body = await readFile(p);
    res.writeHead(200, { 'content-type': types[path.extname(p)] ?? 'application/octet-stream' });
    res.end(body);
  } catch { res.writeHead(404); res.end(); }
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const port = server.address().port;
const userDataDir = await mkdtemp(path.join(os.tmpdir(), 'neurocore-chromium-'));
let context;
let exitCode = 0;
try {
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath, headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run', '--disable-quic',
      // --disable-gpu leaves WebGL to SwiftShader, which Chromium only enables for WebGL with this flag.
      '--use-angle=swiftshader', '--enable-unsafe-swiftshader'],
  });
  const pg = context.pages()[0] ?? await context.newPage();
  const errors = [];
  pg.on('pageerror', (e) => errors.push(String(e)));
  // Belt and braces: refuse any request that is not to our own server.
  await pg.route('**/*', (route) => route.request().url().startsWith(`http://127.0.0.1:${port}/`) ? route.continue() : route.abort());
  await pg.goto(`http://127.0.0.1:${port}/index.html`);
  await pg.waitForFunction(() => window.ready === true, null, { timeout: 60000 });
  const result = await pg.evaluate(([u, t]) => window.run(u, t), [`/model/${encodeURIComponent(path.basename(file))}`, time === null ? null : Number(time)]);
  result.pageErrors = errors;
  if (png) await writeFile(png, await pg.locator('canvas').screenshot());
  console.log(JSON.stringify(result));
} catch (e) {
  console.error(`view.mjs: ${e && e.message ? e.message.split('\n')[0] : e}`);
  exitCode = 1;
} finally {
  if (context) await context.close();
  server.close();
  await rm(userDataDir, { recursive: true, force: true });
}
process.exit(exitCode);
