import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Clock } from '../../domain/clock.js';

/**
 * The local clock of CONTRACT.md: real time plus an offset kept in DATA_DIR, so it survives restarts,
 * and it never goes backwards.
 */
export class LocalClock implements Clock {
  private offsetMs: number;
  /** While a step runs, time stands still at its due time (see runDueSteps). */
  private frozenAt: number | undefined;

  constructor(private readonly file: string) {
    this.offsetMs = LocalClock.read(file);
  }

  private static read(file: string): number {
    try {
      const parsed = JSON.parse(readFileSync(file, 'utf8')) as { offsetMs?: unknown };
      return typeof parsed.offsetMs === 'number' && Number.isFinite(parsed.offsetMs) ? parsed.offsetMs : 0;
    } catch {
      return 0;
    }
  }

  now(): Date {
    return new Date(this.frozenAt ?? Date.now() + this.offsetMs);
  }

  /** Moves the clock forward to `at` (never backwards). */
  advanceTo(at: Date): Date {
    const delta = at.getTime() - this.now().getTime();
    if (delta > 0) {
      if (this.frozenAt !== undefined) this.frozenAt += delta;
      this.offsetMs += delta;
      this.persist();
    }
    return this.now();
  }

  /**
   * Stops time at `at` (or now, if that is later: never backwards) until `unfreeze`, so a step's
   * emails carry exactly its due time.
   */
  freeze(at?: Date): void {
    // now() is the frozen value while frozen, so a second freeze only ever moves it forward.
    this.frozenAt = Math.max(at?.getTime() ?? 0, this.now().getTime());
  }

  /** Time flows again from where it stood (it never jumps forward or back). */
  unfreeze(): void {
    if (this.frozenAt === undefined) return;
    this.offsetMs = this.frozenAt - Date.now();
    this.frozenAt = undefined;
    this.persist();
  }

  private persist() {
    mkdirSync(dirname(this.file), { recursive: true });
    writeFileSync(this.file, JSON.stringify({ offsetMs: this.offsetMs }));
  }
}
