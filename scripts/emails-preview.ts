/**
 * Renders every email kind with realistic sample data into `<outDir>/<kind>.html` and `.txt`, to look
 * at in a browser or a text editor before changing a template.
 *
 *   npx tsx scripts/emails-preview.ts [outDir]     (default: emails-preview/)
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { EMAIL_KINDS } from '../src/domain/types.js';
import { renderEmail } from '../src/mail/render.js';
import { sampleEmailData } from '../templates/samples.js';

async function main(): Promise<void> {
  const outDir = resolve(process.argv[2] ?? 'emails-preview');
  await mkdir(outDir, { recursive: true });
  const index: string[] = [];
  for (const kind of EMAIL_KINDS) {
    const email = renderEmail(kind, sampleEmailData(kind));
    await writeFile(resolve(outDir, `${kind}.html`), email.html, 'utf8');
    await writeFile(resolve(outDir, `${kind}.txt`), `Subject: ${email.subject}\n\n${email.text}`, 'utf8');
    index.push(`${kind.padEnd(20)} ${email.subject}`);
  }
  console.log(index.join('\n'));
  console.log(`Rendered ${EMAIL_KINDS.length} email kinds (${EMAIL_KINDS.length * 2} files) into ${outDir}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
