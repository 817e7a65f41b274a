// Validates glTF/GLB files with the Khronos glTF validator.
// Usage: node validate.mjs FILE...   Prints one JSON line per file:
//   {"file":..., "errors":N, "warnings":N, "infos":N, "hints":N, "messages":[first 20 issues]}
// Exit code 0 when every file has 0 errors and 0 warnings, 1 otherwise, 2 on usage/IO problems.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import validator from 'gltf-validator';

const files = process.argv.slice(2);
if (files.length === 0) { console.error('usage: node validate.mjs FILE...'); process.exit(2); }
let ok = true;
for (const file of files) {
  const data = new Uint8Array(await readFile(file));
  const dir = path.dirname(file);
  const report = await validator.validateBytes(data, {
    uri: path.basename(file),
    maxIssues: 200,
    // .gltf side files (.bin) are read from beside the file.
    externalResourceFunction: (uri) => readFile(path.join(dir, decodeURIComponent(uri))).then((b) => new Uint8Array(b)),
  });
  const i = report.issues;
  const messages = i.messages.slice(0, 20).map((m) => `${['ERROR', 'WARNING', 'INFO', 'HINT'][m.severity]} ${m.code} ${m.pointer ?? ''}: ${m.message}`);
  console.log(JSON.stringify({ file, errors: i.numErrors, warnings: i.numWarnings, infos: i.numInfos, hints: i.numHints, messages }));
  if (i.numErrors > 0 || i.numWarnings > 0) ok = false;
}
process.exit(ok ? 0 : 1);
