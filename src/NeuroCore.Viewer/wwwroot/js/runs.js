// The start page: the list of runs the server knows (GET /api/viewer/runs), each linking to its viewer.
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
