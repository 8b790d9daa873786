/** The slice of autocannon's API that load.ts uses (the package ships no types). */
declare module 'autocannon' {
  interface Result {
    requests: { average: number };
    latency: { p99: number };
    errors: number;
    non2xx: number;
  }
  export default function autocannon(
    options: { url: string; connections: number; duration: number; headers?: Record<string, string> },
  ): Promise<Result>;
}
