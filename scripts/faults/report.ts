/** The fault tests' figures as the table in docs/scaling.md (`npm run test:faults -- --docs`). */
import os from "node:os";
import type { RestartResult } from "./postgres-restart";
import type { SoakResult } from "./soak";
import type { StopResult } from "./stop-mid-burst";
import type { TwoInstancesResult } from "./two-instances";

export type FaultResults = {
  a?: TwoInstancesResult;
  b?: { deadline25s: StopResult; deadline1s: StopResult };
  c?: StopResult;
  d?: RestartResult;
  e?: SoakResult;
};

type Row = { test: string; sent: number; accepted: number; processed: number; duplicates: number; notes: string };

const seconds = (value: number) => `${value.toFixed(1)} s`;

function stopNotes(result: StopResult, how: "sigterm" | "kill9") {
  const drained = result.drained as
    { jobsUnfinished: number; released: { webhookEvents: number; emails: number } } | undefined;
  const common = `${result.events.dropped} dropped; all processed ${seconds(result.secondsToAllProcessed)} after the burst (${result.sweeps} sweeps)`;
  if (how === "kill9")
    return `${common}, the dropped ones retried (${result.events.droppedButStored} had been stored, so their retry was a duplicate); ${result.staleLocksAged} row(s) left locked, lock aged`;
  return (
    `exit ${result.exit.code} ${seconds(result.exit.seconds)} after SIGTERM; stream ended with retry: ${result.stream.endedWithRetryMs} ms; ` +
    `at the deadline ${drained?.jobsUnfinished} job(s) unfinished, ${drained?.released.webhookEvents} event(s) given back; ${common}`
  );
}

export function figuresMarkdown(results: FaultResults): string {
  const rows: Row[] = [];
  const { a, b, c, d, e } = results;
  if (a)
    rows.push({
      test: "a. two instances",
      ...a.webhooks,
      sent: a.webhooks.sent,
      notes: `contact: ${a.contact.acceptedEach.join(", ")} of ${a.contact.sentEach} accepted per sender (limit ${a.contact.limit}); a change through B reached the stream on A in ${a.realtime.latencyMs} ms`,
    });
  for (const [label, result] of [
    ["b. SIGTERM, 25 s deadline", b?.deadline25s],
    ["b. SIGTERM, 1 s deadline, 1 job at a time", b?.deadline1s],
  ] as const)
    if (result)
      rows.push({ test: label, sent: result.events.sent, ...result.processing, notes: stopNotes(result, "sigterm") });
  if (c) rows.push({ test: "c. kill -9", sent: c.events.sent, ...c.processing, notes: stopNotes(c, "kill9") });
  if (d)
    rows.push({
      test: "d. PostgreSQL restart",
      sent: d.events.sent,
      ...d.processing,
      notes:
        `outage ${seconds(d.outageSeconds)}: health ${JSON.stringify(d.during.health)}, ${d.during.webhooks5xx} webhook 5xx, ` +
        `error page shown: ${d.during.errorPage}, contact ${JSON.stringify(d.during.contact)}; after the restart: health 200 in ${seconds(d.recovery.health)}, ` +
        `a webhook accepted in ${seconds(d.recovery.webhookAccepted)}, the open stream's next event in ${seconds(d.recovery.streamEvent)}; ` +
        `${d.staleLocksAged} row(s) left locked, lock aged; ${d.instancesExited} instance(s) exited`,
    });
  if (e)
    rows.push({
      test: `e. soak, ${Math.round(e.seconds / 60)} min`,
      sent: e.processing.accepted,
      ...e.processing,
      notes:
        `memory (MiB, first minute → last) A ${e.start.rssMiB[0]} → ${e.end.rssMiB[0]}, B ${e.start.rssMiB[1]} → ${e.end.rssMiB[1]}, ` +
        `peaks (first third → last) A ${e.peaks[0]!.first} → ${e.peaks[0]!.last}, B ${e.peaks[1]!.first} → ${e.peaks[1]!.last}; ` +
        `connections under traffic ${e.start.connections} → ${e.end.connections} (at most ${e.maxConnections}, budget ${e.budget}), ` +
        `once quiet ${e.idleConnections.before} → ${e.idleConnections.after}; ` +
        `requests ${JSON.stringify(e.requests)}`,
    });
  const cpu = os.cpus()[0]?.model.trim() ?? "unknown CPU";
  return [
    `Measured ${new Date().toISOString().slice(0, 10)} by \`npm run test:faults -- --docs\` on ${os.cpus().length} cores (${cpu}), Node ${process.version}, the instances, PostgreSQL and the load generator on one machine (load average ${os.loadavg()[0]!.toFixed(1)} at the end).`,
    "",
    "| test | events sent | accepted | processed | duplicates | what else it saw |",
    "| --- | ---: | ---: | ---: | ---: | --- |",
    ...rows.map(
      (row) => `| ${row.test} | ${row.sent} | ${row.accepted} | ${row.processed} | ${row.duplicates} | ${row.notes} |`,
    ),
  ].join("\n");
}
