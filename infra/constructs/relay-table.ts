import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
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

  /**
   * Sets `TABLE_NAME` and grants exactly the item actions the store uses (it never scans, never writes
   * in batches, never writes through an index): reads on the table and its indexes; writes on the table,
   * either to any item or — `writesOnly` — only to items whose partition key starts with one of the
   * given prefixes (`dynamodb:LeadingKeys`). `describeTable` is for the health check (GET /healthz).
   */
  bindTable(fn: lambda.Function, access: TableAccess = {}): void {
    fn.addEnvironment('TABLE_NAME', this.table.tableName);
    const tableArn = this.table.tableArn;
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        actions: [...TABLE_READ_ACTIONS, ...(access.describeTable ? ['dynamodb:DescribeTable'] : [])],
        resources: [tableArn, `${tableArn}/index/*`],
      }),
    );
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        actions: TABLE_WRITE_ACTIONS,
        resources: [tableArn],
        ...(access.writesOnly
          ? { conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': access.writesOnly.map((prefix) => `${prefix}*`) } } }
          : {}),
      }),
    );
    const stack = Stack.of(this);
    const tableLogicalId = stack.resolve(stack.getLogicalId(this.table.node.defaultChild as dynamodb.CfnTable)) as string;
    NagSuppressions.addResourceSuppressions(
      fn.role!,
      [
        {
          id: 'AwsSolutions-IAM5',
          reason:
            'Reads (GetItem, BatchGetItem, Query, ConditionCheckItem) on this table\'s own global secondary indexes ' +
            '(<table>/index/*); every action is named, none is a wildcard, and no write reaches an index.',
          appliesTo: [`Resource::<${tableLogicalId}.Arn>/index/*`],
        },
      ],
      true,
    );
  }
}

/** How a function may use the table (see `bindTable`). */
export interface TableAccess {
  /** Writes only to items whose partition key starts with one of these (e.g. `ONCE#`). */
  writesOnly?: string[];
  /** DescribeTable, for the health check. */
  describeTable?: boolean;
}

/** The read actions the store's GetCommand, BatchGetCommand, QueryCommand and transaction condition checks need. */
export const TABLE_READ_ACTIONS = ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:ConditionCheckItem'];
/** The write actions of PutCommand, UpdateCommand, DeleteCommand and TransactWriteCommand (which IAM checks per item). */
export const TABLE_WRITE_ACTIONS = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'];
