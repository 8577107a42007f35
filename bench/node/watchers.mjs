// A child process holding `count` open GET /events streams, as other windows of the app would:
// each reads and parses its events (eventsource-parser). Prints "ready" once every stream has its
// first event (the reset), then the number of events received when asked on stdin ("count").
// usage: node watchers.mjs <url> <token> <count>
import http from 'node:http';
import { createInterface } from 'node:readline';
import { createParser } from 'eventsource-parser';

const [url, token, countText] = process.argv.slice(2);
const count = Number(countText);
const base = new URL(url);
let received = 0;
let started = 0;

for (let i = 0; i < count; i++) {
  const req = http.request({
    host: base.hostname, port: base.port, path: '/events', agent: false,
    headers: { Authorization: `Bearer ${token}`, Accept: 'text/event-stream' },
  }, (res) => {
    if (res.statusCode !== 200) throw new Error(`GET /events: ${res.statusCode}`);
    let first = true;
    const parser = createParser({
      onEvent() {
        received++;
        if (first) {
          first = false;
          if (++started === count) console.log('ready');
        }
      },
    });
    res.setEncoding('utf8');
    res.on('data', (chunk) => parser.feed(chunk));
  });
  req.on('error', (e) => { console.error(`watcher ${i}: ${e.message}`); process.exit(1); });
  req.end();
}

createInterface({ input: process.stdin }).on('line', (line) => {
  if (line === 'count') console.log(String(received));
});
