import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Clock } from '../../domain/clock.js';

/**
 * The local clock of CONTRACT.md: real time plus an offset kept in DATA_DIR, so it survives restarts,
 * and it never goes backwards.
 */
export class LocalClock implements Clock {
  private offsetMs: number;

  constructor(private readonly file: string) {
    this.offsetMs = LocalClock.read(file);
  }

  private static read(file: string): number {
    try {
      const parsed = JSON.parse(readFileSync(file, 'utf8')) as { offsetMs?: unknown };
      return typeof parsed.offsetMs === 'number' && Number.isFinite(parsed.offsetMs) && parsed.offsetMs >= 0 ? parsed.offsetMs : 0;
    } catch {
      return 0;
    }
  }

  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }

  /** Moves the clock forward to `at` (never backwards). */
  advanceTo(at: Date): Date {
    const delta = at.getTime() - this.now().getTime();
    if (delta > 0) {
      this.offsetMs += delta;
      mkdirSync(dirname(this.file), { recursive: true });
      writeFileSync(this.file, JSON.stringify({ offsetMs: this.offsetMs }));
    }
    return this.now();
  }
}
