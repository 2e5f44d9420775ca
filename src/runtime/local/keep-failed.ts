import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * The local dead-letter files (stream records, timed steps): one JSON line per item given up on,
 * with when and why, for an operator to read and replay. Private to the machine's user.
 */
export function keepFailed(file: string, err: unknown, item: Record<string, unknown>): void {
  mkdirSync(dirname(file), { recursive: true });
  appendFileSync(file, `${JSON.stringify({ at: new Date().toISOString(), error: String(err), ...item })}\n`, { mode: 0o600 });
}
