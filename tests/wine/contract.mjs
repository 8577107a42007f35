// Phases "plain" and "exdev" of e2e.mjs: the HTTP/process contract and startup recovery.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { disk, expectAllServed, freshDir, sampleDocuments, tmpLeft } from './fixtures.mjs';
import { check, group, note, winpath } from './lane.mjs';
import { Server } from './server.mjs';

// ---------------------------------------------------------------------------------------------
// The contract suite, run on a plain root and on a root that refuses rename

export async function contractSuite(label, root, virtualized) {
  freshDir(root);
  const expectedMode = virtualized ? 'verified-copy' : 'atomic-rename';
  const docs = sampleDocuments();
  const etags = new Map();

  let server = await Server.start(root);
  await group(`${label}: process contract`, async () => {
    note(`ready after ${server.startSeconds.toFixed(2)} s: ${server.readyLine}`);
    const line = server.readyJson;
    check(`${label}: the ready line is one clean JSON line on stdout`,
      line.event === 'ready' && /^http:\/\/127\.0\.0\.1:\d+$/.test(line.url) && Number.isInteger(line.pid) && typeof line.version === 'string' && !('token' in line),
      server.readyLine);
    check(`${label}: GET /health needs no token`, (await server.request('GET', '/health', { auth: false })).status === 200);
    check(`${label}: /sessions without the token is 401`, (await server.request('GET', '/sessions', { auth: false })).status === 401);
    // The shipped folder is trimmed: a document that lost a description or a schema would show here.
    const served = await server.request('GET', '/openapi/v1.json', { auth: false });
    const committed = JSON.parse(fs.readFileSync(new URL('../../src/SessionApi/openapi/SessionApi.json', import.meta.url), 'utf8'));
    check(`${label}: /openapi/v1.json is the committed OpenAPI document`,
      served.status === 200 && JSON.stringify(served.json) === JSON.stringify(committed), `${served.status}, ${served.bytes.length} bytes`);
    const d = await server.diagnostics();
    check(`${label}: diagnostics reports the root as the Windows path`, d.root === winpath(root), d.root);
  });

  await group(`${label}: save, replace, preconditions, delete`, async () => {
    const created = await server.put('s-cycle', '{"v":1}');
    const etag1 = created.headers.get('etag');
    check(`${label}: PUT a new session is 201 with an ETag`, created.status === 201 && !!etag1, `${created.status}`);
    const replaced = await server.put('s-cycle', '{"v":2}', { 'if-match': etag1 });
    const etag2 = replaced.headers.get('etag');
    check(`${label}: PUT with the current If-Match is 200 with a new ETag`, replaced.status === 200 && etag2 && etag2 !== etag1, `${replaced.status}`);
    const stale = await server.put('s-cycle', '{"v":3}', { 'if-match': etag1 });
    check(`${label}: PUT with a stale If-Match is 412 precondition_failed`, stale.status === 412 && stale.json?.code === 'precondition_failed', `${stale.status} ${stale.bytes}`);
    const none = await server.put('s-cycle', '{"v":4}', { 'if-none-match': '*' });
    check(`${label}: PUT If-None-Match: * on an existing session is 412`, none.status === 412, `${none.status}`);
    check(`${label}: after the refused saves the document is still v2`, (await server.get('s-cycle')).bytes.toString() === '{"v":2}' && disk(root, 's-cycle').toString() === '{"v":2}');
    const notModified = await server.get('s-cycle', { 'if-none-match': etag2 });
    check(`${label}: GET with If-None-Match of the current ETag is 304`, notModified.status === 304, `${notModified.status}`);
    const staleDelete = await server.del('s-cycle', { 'if-match': etag1 });
    check(`${label}: DELETE with a stale If-Match is 412`, staleDelete.status === 412, `${staleDelete.status}`);
    const deleted = await server.del('s-cycle', { 'if-match': etag2 });
    check(`${label}: DELETE with the current If-Match is 204`, deleted.status === 204, `${deleted.status}`);
    check(`${label}: the deleted session is 404 and gone from disk`, (await server.get('s-cycle')).status === 404 && !fs.existsSync(path.join(root, 's-cycle.json')));
    const badJson = await server.put('s-bad', '{"torn":');
    check(`${label}: a torn body is 400 invalid_json and creates nothing`, badJson.status === 400 && badJson.json?.code === 'invalid_json' && !fs.existsSync(path.join(root, 's-bad.json')), `${badJson.status}`);
  });

  await group(`${label}: many sessions, repeated replaces`, async () => {
    let ok = 0;
    for (const [id, text] of docs) {
      const r = await server.put(id, text);
      if (r.status === 201) { ok++; etags.set(id, r.headers.get('etag')); }
    }
    check(`${label}: ${docs.size} sessions of every shape saved (201)`, ok === docs.size, `${ok}/${docs.size}`);
    let replaced = 0;
    for (let i = 0; i < 5; i++) {
      const text = JSON.stringify({ round: i, pad: 'r'.repeat(1000 * (5 - i)) }); // shrinking: a copy must truncate
      const r = await server.put('s-replaced', text);
      if (r.status === (i === 0 ? 201 : 200)) replaced++;
      docs.set('s-replaced', text);
      etags.set('s-replaced', r.headers.get('etag'));
    }
    check(`${label}: 5 replaces of one session, each shorter than the last`, replaced === 5);
    await expectAllServed(server, root, docs, label);
    const d = await server.diagnostics();
    check(`${label}: diagnostics writeMode is ${expectedMode}`, d.writeMode === expectedMode, d.writeMode);
    if (virtualized) {
      check(`${label}: counters.crossDeviceFallbacks > 0`, d.counters.crossDeviceFallbacks > 0, JSON.stringify(d.counters));
    } else {
      check(`${label}: counters.crossDeviceFallbacks is 0`, d.counters.crossDeviceFallbacks === 0, JSON.stringify(d.counters));
    }
    check(`${label}: no save failed`, d.counters.saveFailures === 0, JSON.stringify(d.counters));
    check(`${label}: no *.tmp left in the root`, tmpLeft(root).length === 0, tmpLeft(root).join(' '));
    note(`${label} counters: ${JSON.stringify(d.counters)}`);
  });

  await group(`${label}: restart with the same root`, async () => {
    const first = await server.stop();
    check(`${label}: SIGINT (Ctrl+C) stops the server gracefully with exit code 0`, first.code === 0, JSON.stringify(first));
    check(`${label}: stdout held the ready line and nothing else`, server.stdout === server.readyLine + '\n', JSON.stringify(server.stdout.slice(0, 300)));
    server = await Server.start(root);
    await expectAllServed(server, root, docs, `${label} after restart`);
    const list = (await server.request('GET', '/sessions')).json.items;
    check(`${label}: ETags survive the restart`, list.every((i) => etags.get(i.id) === i.etag), JSON.stringify(list.map((i) => [i.id, i.etag, etags.get(i.id)])));
    const d = await server.diagnostics();
    check(`${label}: after restart writeMode is ${expectedMode} (startup rename probe)`, d.writeMode === expectedMode, d.writeMode);
    check(`${label}: nothing quarantined by a clean restart`, d.quarantined.length === 0, JSON.stringify(d.quarantined));
    // Electron's usual stop: the parent closes the stdin pipe (or dies and the OS closes it).
    const second = await server.stop({ how: 'stdin' });
    check(`${label}: closing stdin (a pipe: GetFileType under Wine) stops it with exit code 0`, second.code === 0, JSON.stringify(second));
  });

  await group(`${label}: recovery of stranded temp files`, async () => {
    // What the MSIX bug leaves: *.json.tmp files holding the only copies, no .json.
    const complete = new Map();
    const torn = [];
    for (let i = 0; i < 3; i++) {
      const id = `local_${randomUUID()}`;
      const text = JSON.stringify({ stranded: i, text: 'only copy ' + 'z'.repeat(200 * i) });
      complete.set(id, text);
      fs.writeFileSync(path.join(root, `${id}.json.tmp`), text);
    }
    for (let i = 0; i < 2; i++) {
      const id = `local_${randomUUID()}`;
      torn.push(id);
      const text = JSON.stringify({ torn: i, text: 'cut here'.repeat(50) });
      fs.writeFileSync(path.join(root, `${id}.json.tmp`), text.slice(0, Math.floor(text.length / 2)));
    }
    // And a document with a newer complete temp beside it (a save interrupted before its rename).
    const newer = '{"version":"newer, from the temp"}';
    fs.writeFileSync(path.join(root, 's-plain.json.tmp'), newer);
    const future = new Date(Date.now() + 60_000);
    fs.utimesSync(path.join(root, 's-plain.json.tmp'), future, future);
    docs.set('s-plain', newer);

    server = await Server.start(root);
    for (const [id, text] of complete) docs.set(id, text);
    await expectAllServed(server, root, docs, `${label} recovery`);
    let tornServed = 0;
    for (const id of torn) if ((await server.get(id)).status !== 404) tornServed++;
    check(`${label}: torn temps are never served (404)`, tornServed === 0);
    const qdir = path.join(root, '.quarantine');
    const qfiles = fs.existsSync(qdir) ? fs.readdirSync(qdir) : [];
    check(`${label}: every torn temp is in .quarantine/`, torn.every((id) => qfiles.some((n) => n.startsWith(`${id}.json.tmp.`))), qfiles.join(' '));
    const d = await server.diagnostics();
    const listed = d.quarantined.map((q) => q.originalName);
    check(`${label}: diagnostics lists each quarantined file with a reason`, torn.every((id) => listed.includes(`${id}.json.tmp`)) && d.quarantined.every((q) => q.reason), JSON.stringify(d.quarantined));
    check(`${label}: counters.recoveredTemps is 4, quarantinedFiles 2`, d.counters.recoveredTemps === 4 && d.counters.quarantinedFiles === 2, JSON.stringify(d.counters));
    check(`${label}: no *.tmp left in the root after recovery`, tmpLeft(root).length === 0, tmpLeft(root).join(' '));
    if (virtualized) {
      check(`${label}: promotion went through the verified copy (crossDeviceFallbacks >= 4, writeMode verified-copy)`,
        d.counters.crossDeviceFallbacks >= 4 && d.writeMode === 'verified-copy', JSON.stringify({ mode: d.writeMode, ...d.counters }));
    } else {
      check(`${label}: promotion renamed (crossDeviceFallbacks 0)`, d.counters.crossDeviceFallbacks === 0, JSON.stringify(d.counters));
    }
    note(`${label} recovery counters: ${JSON.stringify(d.counters)}`);
    const stopped = await server.stop();
    check(`${label}: stops with exit code 0 after recovery`, stopped.code === 0, JSON.stringify(stopped));
    server = await Server.start(root);
    await expectAllServed(server, root, docs, `${label} restart after recovery`);
    check(`${label}: the second start quarantines nothing new`, (await server.diagnostics()).counters.quarantinedFiles === 0);
  });
  await server.stop();
}
