/**
 * The load generator of `npm run bench:route`, run as its own process so it never competes with
 * a server for the same event loop: autocannon against one URL, the result as one JSON line.
 * argv: url, cookie, seconds, connections.
 */
import autocannon from 'autocannon';

const [url, cookie, seconds, connections] = process.argv.slice(2);
const result = await autocannon({ url, connections: Number(connections), duration: Number(seconds), headers: { cookie } });
process.stdout.write(`${JSON.stringify({ rps: result.requests.average, p99: result.latency.p99, errors: result.errors, non2xx: result.non2xx })}\n`);
