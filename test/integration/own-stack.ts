import { mkdtempSync, rmSync } from 'node:fs';
import { DeleteTableCommand } from '@aws-sdk/client-dynamodb';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readLocalConfig } from '../../src/config/env.js';
import { silentLogger } from '../../src/referrals/deps.js';
import { startLocalSystem, type LocalSystem } from '../../src/runtime/local/local-system.js';
import { newId } from '../../src/domain/ids.js';
import { freePorts } from '../support/free-ports.js';

export interface OwnStack {
  system: LocalSystem;
  env: Record<string, string>;
  baseUrl: string;
  stop(): Promise<void>;
}

/**
 * A stack of one's own — app, SMTP door, scheduler, clock and table — on the DynamoDB Local and SES
 * of the stack it is given (its worker's: DYNAMODB_ENDPOINT / SES_ENDPOINT), started in well under a second. Moving its clock
 * runs only its own table's steps, so a test that lives through days of a referral's life shares no
 * time with any other test.
 */
export async function startOwnStack(shared: Record<string, string>, overrides: Record<string, string> = {}): Promise<OwnStack> {
  const dataDir = mkdtempSync(join(tmpdir(), 'relay-own-'));
  const [PORT, SMTP_PORT] = await freePorts(2);
  const env: Record<string, string> = {
    INBOUND_DOMAIN: shared.INBOUND_DOMAIN!,
    REPLY_TOKEN_SECRET: shared.REPLY_TOKEN_SECRET!,
    DYNAMODB_ENDPOINT: shared.DYNAMODB_ENDPOINT!,
    SES_ENDPOINT: shared.SES_ENDPOINT!,
    TABLE_NAME: `own-${newId(8)}`,
    SEED_DEMO: 'false',
    PORT: PORT!,
    SMTP_PORT: SMTP_PORT!,
    DATA_DIR: dataDir,
    ...overrides,
  };
  const system = await startLocalSystem(readLocalConfig(env), silentLogger);
  return {
    system,
    env,
    baseUrl: `http://localhost:${env.PORT}`,
    async stop() {
      await system.stop();
      // Its table goes too: DynamoDB Local keeps every table's stream, and dozens of finished ones
      // slow the instance down for the files that follow.
      await system.deps.store.client.send(new DeleteTableCommand({ TableName: env.TABLE_NAME })).catch(() => undefined);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
