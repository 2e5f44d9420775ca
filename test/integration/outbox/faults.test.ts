/**
 * Issue 11's fault injection at a size the suite can afford (`npm run bench -- faults` runs 500):
 * referrals live their whole 60 days while proxies fail 20 % of the DynamoDB and SES calls
 * (throttling, 500s, and timeouts whose call took effect upstream). Then: every acknowledged
 * referral stored, every email on a timeline sent (twice only where SES's answer to a send was cut off), no due step left unrun.
 */
import { describe, expect, it } from 'vitest';
import { formatFaultReport, runFaultScenario } from '../../support/fault-run.js';
import { startOwnStack } from '../own-stack.js';
import { relay } from '../harness.js';
import { CreateTableCommand, DeleteTableCommand, DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { startFaultProxy } from '../../support/fault-proxy.js';
import { localDynamoClient } from '../../../src/runtime/local/services.js';
import { newId } from '../../../src/domain/ids.js';

describe('20 % of DynamoDB and SES calls failing for 60 days', () => {
  it('loses no referral, sends every email once and runs every due step', async () => {
    const report = await runFaultScenario(
      { dynamoDbEndpoint: relay.env.DYNAMODB_ENDPOINT!, sesEndpoint: relay.env.SES_ENDPOINT! },
      async (endpoints) => {
        const own = await startOwnStack(relay.env, { DYNAMODB_ENDPOINT: endpoints.dynamoDbEndpoint, SES_ENDPOINT: endpoints.sesEndpoint, RATE_LIMITS: 'off' });
        return { system: own.system, baseUrl: own.baseUrl, env: own.env, stop: () => own.stop() };
      },
      { referrals: 4, concurrency: 4, days: 60, seed: 11 },
    );
    console.log(formatFaultReport(report));
    expect(report.faults.dynamodb.failed).toBeGreaterThan(100);
    expect(report.faults.ses.failed).toBeGreaterThan(2);
    expect(report.acknowledged).toBe(4);
    expect(report.lost).toEqual([]);
    expect(report.emailsOnTimelines).toBeGreaterThan(4 * 3);
    expect(report.mismatched).toEqual([]);
    // SES has no idempotency key: only a send whose answer was cut off may have gone twice.
    expect(report.extraSends).toBeLessThanOrEqual(report.ambiguousSends);
    expect(report.duplicateEvents).toBe(0);
    expect(report.dueLeftPending).toBe(0);
  }, 120_000);
});

describe('the local clients under a long run of failing calls', () => {
  it("ride it out where the SDK's default retry quota runs dry", async () => {
    const proxy = await startFaultProxy({ target: relay.env.DYNAMODB_ENDPOINT!, faults: ['error500'], seed: 5 });
    const table = `retry-${newId(8)}`;
    const local = localDynamoClient(proxy.url);
    const standard = new DynamoDBClient({ endpoint: proxy.url, region: 'local', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    try {
      await local.send(new CreateTableCommand({ TableName: table, BillingMode: 'PAY_PER_REQUEST', AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }] }));
      proxy.setFailureRate(0.3);
      // Four callers at a time share each client (and so its retry quota), as a busy process does.
      const failures = async (client: DynamoDBClient, calls: number, prefix: string) => {
        let failed = 0;
        let next = 0;
        const caller = async () => {
          for (let i = next++; i < calls; i = next++) await client.send(new PutItemCommand({ TableName: table, Item: { pk: { S: `${prefix}${i}` } } })).catch(() => (failed += 1));
        };
        await Promise.all([caller(), caller(), caller(), caller()]);
        return failed;
      };
      // 30 % answered 500: the SDK's standard strategy spends its 500-token quota in a few hundred
      // calls and then fails every failing call; the local one retries each up to 6 times.
      const [standardFailed, localFailed] = await Promise.all([failures(standard, 1_000, 's'), failures(local, 600, 'l')]);
      expect(standardFailed).toBeGreaterThan(20);
      expect(localFailed).toBeLessThanOrEqual(3);
    } finally {
      proxy.setFailureRate(0);
      await local.send(new DeleteTableCommand({ TableName: table })).catch(() => undefined);
      local.destroy();
      standard.destroy();
      await proxy.close();
    }
  }, 120_000);
});
