// The start page: the list of runs the server knows (GET /api/viewer/runs), each linking to its viewer,
// and the embedding folders it was given (GET /api/embeddings), each linking to its 3D scatter.
import { getJson } from './api.js';

const body = document.getElementById('runs');
const cell = (text) => { const td = document.createElement('td'); td.textContent = text ?? ''; return td; };
try {
  const runs = await getJson('/api/viewer/runs');
  body.replaceChildren();
  if (runs.length === 0) body.innerHTML = '<tr><td colspan="6" class="dim">no runs yet</td></tr>';
  for (const r of runs) {
    const tr = document.createElement('tr');
    const name = document.createElement('td');
    const a = document.createElement('a');
    a.href = `/runs/${encodeURIComponent(r.id)}`; a.textContent = r.id;
    name.append(a);
    tr.append(name, cell(r.error ? 'unreadable: ' + r.error : `${r.model} (${r.parameters} params)`), cell(r.dataset),
      cell(r.snapshots), cell(r.lastStep), cell(r.error ? '' : r.finished ? 'finished' : 'recording'));
    body.append(tr);
  }
} catch (e) {
  body.innerHTML = '';
  const tr = document.createElement('tr'); const td = cell(e.message); td.colSpan = 6; td.className = 'error'; tr.append(td); body.append(tr);
}

try {
  const list = await getJson('/api/embeddings');
  const rows = document.getElementById('embeddings');
  for (const e of list) {
    const tr = document.createElement('tr');
    const name = document.createElement('td');
    const a = document.createElement('a');
    a.href = `/embeddings/${encodeURIComponent(e.name)}`; a.textContent = e.name;
    name.append(a);
    if (e.error) { const td = cell('unreadable: ' + e.error); td.colSpan = 4; tr.append(name, td); rows.append(tr); continue; }
    tr.append(name, cell(e.description), cell(e.count), cell(`${e.method} ${e.dimensions}-d`),
      cell(e.words ? 'the word' : e.sprite ? 'the label and image' : e.classes ? 'the label' : 'the name'));
    rows.append(tr);
  }
  document.getElementById('embeddings-part').hidden = list.length === 0;
} catch (e) {
  const p = document.createElement('p'); p.className = 'error'; p.textContent = `embeddings: ${e.message}`; document.body.append(p);
}
