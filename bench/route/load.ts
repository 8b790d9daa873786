/**
 * The load generator of `npm run bench:route`, run as its own process so it never competes with
 * a server for the same event loop: autocannon against one URL, the result as one JSON line.
 * argv: url, credential (a cookie header, or `Bearer <token>` for the Authorization header), seconds, connections.
 */
import autocannon from 'autocannon';

const [url, cookie, seconds, connections] = process.argv.slice(2);
const result = await autocannon({
  url,
  connections: Number(connections),
  duration: Number(seconds),
  headers: cookie.startsWith('Bearer ') ? { authorization: cookie } : { cookie },
});
process.stdout.write(
  `${
    JSON.stringify({
      rps: result.requests.average,
      p99: result.latency.p99,
      errors: result.errors,
      non2xx: result.non2xx,
    })
  }\n`,
);
