// minimal-proxy.mjs: the reference for `pnpm bench proxy`, a forward proxy as plain as node:http
// allows (http.request + pipe, keep-alive agent, no checks), so the bench can show what a Node
// proxy does on this machine beside the dfdaemon's. Prints its port on stdout. Reference only.
import { Agent, createServer, request } from "node:http";

const agent = new Agent({ keepAlive: true });
const server = createServer((req, res) => {
  const up = request(req.url, { method: req.method, headers: req.headers, agent }, (upRes) => {
    res.writeHead(upRes.statusCode ?? 502, upRes.headers);
    upRes.pipe(res);
  });
  up.on("error", () => res.destroy());
  req.pipe(up);
});
server.listen(0, "127.0.0.1", () => process.stdout.write(`${server.address().port}\n`));
process.on("SIGTERM", () => process.exit(0));
