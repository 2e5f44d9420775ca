/** `npm run emails:preview` renders every email kind, with the reply words the running system lists. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EMAIL_KINDS } from '../../../src/domain/types.js';
import { sampleEmailData } from '../../../templates/samples.js';

const out = mkdtempSync(join(tmpdir(), 'emails-preview-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('npm run emails:preview', () => {
  it('writes an HTML and a text part for every email kind', () => {
    const log = execFileSync(process.execPath, ['--import', 'tsx', 'scripts/emails-preview.ts', out], { encoding: 'utf8' });
    expect(log).toContain(`Rendered ${EMAIL_KINDS.length} email kinds`);
    const files = readdirSync(out).sort();
    expect(files).toEqual(EMAIL_KINDS.flatMap((k) => [`${k}.html`, `${k}.txt`]).sort());
    // The real lists: a notice invites no reply, the progress request leads with `met`.
    expect(readFileSync(join(out, 'notice.txt'), 'utf8')).toMatch(/No need to reply/);
    expect(readFileSync(join(out, 'progress_request.txt'), 'utf8')).toMatch(/\n {2}met +you have met them/);
  });

  it('uses the real reply-word lists, not invented ones', () => {
    expect(sampleEmailData('progress_request').replyWords.map((w) => w.word)).toEqual(['met', 'proposal', 'won 4500', 'lost <why>', 'snooze 2 weeks', 'help']);
    expect(sampleEmailData('notice').replyWords).toEqual([]);
    expect(sampleEmailData('relay').replyWords.map((w) => w.word)).toEqual(['ok']);
    expect(sampleEmailData('give_back').replyWords.map((w) => w.word)).toEqual(['refer Name <email> <need>', 'stop']);
  });
});
