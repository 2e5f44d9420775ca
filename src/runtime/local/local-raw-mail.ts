import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Clock } from '../../domain/clock.js';
import type { RawMailArchive } from '../../referrals/deps.js';
import { DEAD_LETTER_DAYS } from '../../store/referral-store.js';

/**
 * Raw inbound mail kept as files under DATA_DIR/raw-mail, like the raw-mail bucket in AWS: a file older
 * than DEAD_LETTER_DAYS on the local clock is deleted the next time mail is kept (the bucket's
 * lifecycle rule does the same in AWS).
 */
export function localRawMailArchive(dataDir: string, clock: Clock): RawMailArchive & { dir: string; sweep(): Promise<number> } {
  const dir = join(resolve(dataDir), 'raw-mail');
  const fileOf = (ref: string) => {
    const name = ref.startsWith('file:') ? ref.slice(5) : '';
    if (!/^[0-9]{13}-[A-Za-z0-9_-]{1,64}\.eml$/.test(name)) throw new Error(`not a local raw-mail pointer: ${ref}`);
    return join(dir, name);
  };
  const sweep = async () => {
    const cutoff = clock.now().getTime() - DEAD_LETTER_DAYS * 86_400_000;
    let removed = 0;
    for (const name of await readdir(dir).catch(() => [] as string[])) {
      const keptAt = Number(name.slice(0, 13));
      if (Number.isFinite(keptAt) && keptAt < cutoff) {
        await rm(join(dir, name), { force: true });
        removed++;
      }
    }
    return removed;
  };
  return {
    dir,
    sweep,
    async keep(id, raw) {
      await mkdir(dir, { recursive: true });
      await sweep();
      // The name starts with the local-clock time it was kept, which is what expiry reads.
      const name = `${String(clock.now().getTime()).padStart(13, '0')}-${id.replace(/[^A-Za-z0-9_-]/g, '').slice(0, 64)}.eml`;
      await writeFile(join(dir, name), raw, { mode: 0o600 });
      return `file:${name}`;
    },
    async drop(ref) {
      await rm(fileOf(ref), { force: true });
    },
  };
}
