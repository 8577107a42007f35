// Test data and assertions shared by the suites: fresh roots, what is on disk, sample documents,
// "every session served byte for byte".
import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { check } from './lane.mjs';

// ---------------------------------------------------------------------------------------------
// Helpers

export const freshDir = (p) => { fs.rmSync(p, { recursive: true, force: true }); fs.mkdirSync(p, { recursive: true }); return p; };
export const listRoot = (root) => fs.readdirSync(root).filter((n) => !n.startsWith('.')).sort();
export const tmpLeft = (root) => fs.readdirSync(root).filter((n) => n.endsWith('.tmp'));
export const disk = (root, id) => fs.readFileSync(path.join(root, `${id}.json`));

/** Documents with different shapes: unicode, formatting kept byte for byte, large, deep, long id. */
export function sampleDocuments() {
  const big = { id: 'big', messages: [] };
  for (let i = 0; big.messages.length < 4000; i++) {
    big.messages.push({ role: i % 2 ? 'assistant' : 'user', text: `message ${i} ${randomBytes(96).toString('base64')}` });
  }
  return new Map([
    ['s-plain', '{"title":"hello","messages":[]}'],
    ['s-unicode', JSON.stringify({ title: 'Grüße, 你好, emoji 🙂, rtl שלום', n: 1.5e-7 })],
    ['s-pretty', '{\r\n  "keep": "these bytes",\n\t"exactly" : [ 1, 2 , 3 ]\n}\n'],
    ['s-big', JSON.stringify(big)],
    ['s-deep', '{"a":'.repeat(40) + '1' + '}'.repeat(40)],
    ['x'.repeat(128), '{"longest":"id"}'],
    [`local_${randomUUID()}`, '{"from":"the electron app"}'],
  ]);
}

export async function expectAllServed(server, root, docs, label) {
  const list = (await server.request('GET', '/sessions')).json;
  check(`${label}: GET /sessions lists all ${docs.size} sessions`, list?.items?.length === docs.size, `got ${list?.items?.length}`);
  let same = 0;
  let sameOnDisk = 0;
  for (const [id, text] of docs) {
    const r = await server.get(id);
    if (r.status === 200 && r.bytes.equals(Buffer.from(text))) same++;
    if (fs.existsSync(path.join(root, `${id}.json`)) && disk(root, id).equals(Buffer.from(text))) sameOnDisk++;
  }
  check(`${label}: every session served byte for byte`, same === docs.size, `${same}/${docs.size}`);
  check(`${label}: every <id>.json on disk holds exactly the saved bytes`, sameOnDisk === docs.size, `${sameOnDisk}/${docs.size}`);
}
