import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { NagSuppressions } from 'cdk-nag';
import { Construct } from 'constructs';
import { TABLE_KEYS } from '../../src/store/keys.js';

const stringKey = (name: string): dynamodb.Attribute => ({ name, type: dynamodb.AttributeType.STRING });

/**
 * The app's single DynamoDB table. Key names and indexes come from `src/store/keys.ts`, the same
 * constants the store code uses (STYLE.md point 7), so the two cannot disagree.
 * On-demand, point-in-time recovery, deletion protection, and retained when the stack goes: the
 * table is the system of record.
 */
export class RelayTable extends Construct {
  readonly table: dynamodb.Table;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.table = new dynamodb.Table(this, 'Table', {
      partitionKey: stringKey(TABLE_KEYS.partitionKey),
      sortKey: stringKey(TABLE_KEYS.sortKey),
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      timeToLiveAttribute: TABLE_KEYS.ttlAttribute,
      removalPolicy: RemovalPolicy.RETAIN,
      // The stream feeds the effects consumer: outbox emails, and step schedules from `pending`'s diff.
      stream: dynamodb.StreamViewType.NEW_AND_OLD_IMAGES,
    });
    for (const gsi of TABLE_KEYS.gsis) {
      this.table.addGlobalSecondaryIndex({
        indexName: gsi.name,
        partitionKey: stringKey(gsi.partitionKey),
        sortKey: stringKey(gsi.sortKey),
        projectionType: dynamodb.ProjectionType.ALL,
      });
    }
  }

  /** Sets `TABLE_NAME` and grants item read/write on the table and its indexes (no table admin). */
  bindTable(fn: lambda.Function): void {
    fn.addEnvironment('TABLE_NAME', this.table.tableName);
    this.table.grantReadWriteData(fn);
    const stack = Stack.of(this);
    const tableLogicalId = stack.resolve(stack.getLogicalId(this.table.node.defaultChild as dynamodb.CfnTable)) as string;
    NagSuppressions.addResourceSuppressions(
      fn.role!,
      [
        {
          id: 'AwsSolutions-IAM5',
          reason:
            'Item access on this table\'s own global secondary indexes (<table>/index/*), as Table.grantReadWriteData ' +
            'grants it; every action is named, none is a wildcard.',
          appliesTo: [`Resource::<${tableLogicalId}.Arn>/index/*`],
        },
      ],
      true,
    );
  }
}
