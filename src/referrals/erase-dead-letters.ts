import type { Prospect } from '../domain/types.js';
import type { RelayDeps } from './deps.js';

/**
 * The part of `erase_prospect` outside the referral: unreadable mail kept as dead letters (of the group,
 * and those no group could be told) that carries the prospect's address in its sender, recipients or
 * raw text is deleted, with its raw file. A large raw message kept only by pointer in AWS S3 is not
 * read here; the bucket's 30-day expiry removes it.
 * @returns how many dead letters were deleted
 */
export async function eraseProspectFromDeadLetters(deps: Pick<RelayDeps, 'store' | 'rawMail' | 'log'>, groupId: string, prospect: Prospect): Promise<number> {
  const address = prospect.email?.toLowerCase();
  if (!address) return 0;
  let erased = 0;
  for (const owner of [groupId, 'none']) {
    // Expired letters too (the default `now` is far in the past): DynamoDB Local never deletes them.
    for (const letter of await deps.store.listDeadLetters(owner, new Date(0))) {
      const raw = letter.rawBase64 ? Buffer.from(letter.rawBase64, 'base64').toString('latin1').toLowerCase() : '';
      const mentions = [letter.from ?? '', ...letter.envelopeTo].some((a) => a.toLowerCase().includes(address)) || raw.includes(address);
      if (!mentions) continue;
      if (letter.rawRef?.startsWith('file:')) await deps.rawMail?.drop(letter.rawRef);
      await deps.store.deleteDeadLetter(letter.id);
      erased++;
    }
  }
  if (erased) deps.log.info('prospect erased from dead letters', { groupId, erased });
  return erased;
}
