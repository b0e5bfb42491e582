import { describe, expect, it } from "vitest";
import { parseWrkOutput } from "./wrk";

// What `wrk -t1 -c16 -d10s --latency` prints (wrk 4.1).
const output = `Running 10s test @ http://127.0.0.1:3200
  1 threads and 16 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     6.52ms    1.23ms  30.12ms   90.00%
    Req/Sec     2.46k   123.45     2.70k    70.00%
  Latency Distribution
     50%  630.00us
     75%    6.90ms
     90%    7.80ms
     99%    1.12s
  24512 requests in 10.00s, 292.59MB read
  Socket errors: connect 0, read 2, write 0, timeout 1
  Non-2xx or 3xx responses: 3
Requests/sec:   2450.12
Transfer/sec:     29.25MB
`;

describe("parseWrkOutput", () => {
  it("reads throughput, latency percentiles in any unit, failures and bytes per response", () => {
    const result = parseWrkOutput(output);
    expect(result).toMatchObject({
      rps: 2450.12,
      requests: 24512,
      p50Ms: 0.63,
      p99Ms: 1120,
      non2xx: 3,
      socketErrors: 3,
    });
    expect(result.bytesPerResponse).toBeCloseTo((292.59 * 1024 * 1024) / 24512, 3);
  });

  it("reads small transfers in KB", () => {
    expect(parseWrkOutput("  10 requests in 1.00s, 5.00KB read\n").bytesPerResponse).toBe(512);
  });
});
