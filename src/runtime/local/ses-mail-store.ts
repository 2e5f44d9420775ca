/**
 * The local SES viewer's mail, kept in DATA_DIR so it survives a restart of `npm start`.
 *
 * aws-ses-v2-local holds sent mail in an in-memory list only. Its store module exports `saveEmail`
 * and `clearStore`, which its HTTP handlers call through the module's exports, so wrapping those two
 * exports is enough: every saved message is also appended to `DATA_DIR/ses-mail.jsonl` (one JSON
 * line each), `POST /clear-store` empties the file too, and on start the file's messages are put back
 * into the list (skipping any already there, by message id). The viewer and `GET /store` read the
 * list as before.
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';

interface SesStoreModule {
  saveEmail: (email: { messageId?: string }) => void;
  clearStore: () => void;
  getStoreReadonly: () => { emails: { messageId?: string }[] };
}

/** The same module instance the viewer's server uses (CommonJS, cached by its resolved path). */
const sesStore = createRequire(import.meta.url)('aws-ses-v2-local/dist/store.js') as SesStoreModule;
const files = new Set<string>();
let wrapped = false;

function wrapOnce(): void {
  if (wrapped) return;
  wrapped = true;
  const save = sesStore.saveEmail;
  const clear = sesStore.clearStore;
  sesStore.saveEmail = (email) => {
    save(email);
    for (const file of files) appendFileSync(file, `${JSON.stringify(email)}\n`, { mode: 0o600 });
  };
  sesStore.clearStore = () => {
    clear();
    for (const file of files) writeFileSync(file, '', { mode: 0o600 });
  };
}

/** The messages kept in `file`; a torn last line (a crash mid-write) is skipped. */
export function readKeptMail(file: string): { messageId?: string }[] {
  if (!existsSync(file)) return [];
  const kept: { messageId?: string }[] = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    try {
      kept.push(JSON.parse(line) as { messageId?: string });
    } catch {
      /* a line cut short by a crash */
    }
  }
  return kept;
}

/**
 * Keeps the viewer's mail in `DATA_DIR/ses-mail.jsonl` from now on and puts back what is there.
 * @returns a function that stops keeping it (the server stopped)
 */
export function keepSesMailIn(dataDir: string): () => void {
  const file = join(resolve(dataDir), 'ses-mail.jsonl');
  mkdirSync(dirname(file), { recursive: true });
  wrapOnce();
  const list = sesStore.getStoreReadonly().emails;
  const known = new Set(list.map((e) => e.messageId));
  for (const email of readKeptMail(file)) if (!known.has(email.messageId)) list.push(email);
  files.add(file);
  return () => void files.delete(file);
}
