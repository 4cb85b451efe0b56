/**
 * The V8 settings the platform runs with: `npm start` (server/package.json's start script) passes
 * them to node, and the benchmark starts its processes with them (node-flags.test.ts holds the two
 * together).
 *
 * --max-semi-space-size=4: the young generation grows to at most 2 × 4 MB. Node's default lets it
 * grow to 2 × 16 MB (more with a large heap) after a burst of allocation — a thousand clients
 * reconnecting at once after a restart — and it stays resident, some 30 KB for every idle
 * subscriber a server holds. With 4 MB a scavenge runs more often but each has as little to copy
 * (what survives is the same); the throughput figures of the bench (Q1, P1) are measured with it.
 */
export const PLATFORM_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=4'];
