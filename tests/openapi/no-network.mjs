// Preloaded (NODE_OPTIONS=--import) into every node process the linters start: the lint must not
// reach any network, so any outgoing connection or name lookup is refused and reported on stderr
// with the marker below, which lint.test.mjs looks for.
import dns from "node:dns";
import net from "node:net";

export const marker = "[no-network] refused";

function refuse(what) {
  process.stderr.write(`${marker} ${what}\n`);
  return new Error(`${marker} ${what}`);
}

const connect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function (...args) {
  // net.connect() passes its normalized arguments as one array: [options, callback].
  const first = Array.isArray(args[0]) ? args[0][0] : args[0];
  const options = typeof first === "object" && first !== null ? first : { port: first, host: typeof args[1] === "string" ? args[1] : undefined };
  if (options.path === undefined) {
    // TCP: refused before any packet leaves; a pipe or Unix socket (options.path) is local.
    throw refuse(`connect ${options.host ?? "localhost"}:${options.port}`);
  }
  return connect.apply(this, args);
};

for (const name of ["lookup", "resolve", "resolve4", "resolve6"]) {
  dns[name] = (host) => {
    throw refuse(`dns.${name} ${host}`);
  };
  dns.promises[name] = async (host) => {
    throw refuse(`dns.promises.${name} ${host}`);
  };
}

globalThis.fetch = async (input) => {
  throw refuse(`fetch ${input instanceof Request ? input.url : String(input)}`);
};
