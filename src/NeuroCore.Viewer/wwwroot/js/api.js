// HTTP helpers: JSON with RFC 7807 problem messages, and the compact float32/int32/uint8 arrays (base64).

/** Fetches JSON; throws an Error carrying the problem detail (and .status) when the answer is not 2xx. */
export async function getJson(url, init) {
  const res = await fetch(url, init);
  if (!res.ok) throw await problem(res);
  return res.status === 204 ? null : res.json();
}

/** POSTs a JSON body (or nothing) and returns the parsed answer (with .status and .location on it). */
export async function postJson(url, body) {
  const res = await fetch(url, { method: 'POST', headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body) });
  if (!res.ok) throw await problem(res);
  const text = await res.text();
  const json = text ? JSON.parse(text) : {};
  return Object.assign(json, { status: res.status, location: res.headers.get('location') });
}

async function problem(res) {
  let detail = `${res.status} ${res.statusText}`;
  try { const p = await res.json(); detail = p.detail || p.title || detail; } catch { /* not JSON */ }
  const e = new Error(detail); e.status = res.status; return e;
}

function bytes(b64) {
  const s = atob(b64); const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

/** Decodes base64 little-endian float32 values (null stays null). */
export const floats = (b64) => b64 == null ? null : new Float32Array(bytes(b64).buffer);

/** Decodes base64 little-endian int32 values. */
export const ints = (b64) => b64 == null ? null : new Int32Array(bytes(b64).buffer);

/** Decodes base64 bytes. */
export const u8 = (b64) => b64 == null ? null : bytes(b64);
