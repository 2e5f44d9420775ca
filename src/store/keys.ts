/**
 * Single-table key design, in one place. `infra/` imports TABLE_KEYS so the deployed table and the
 * code always agree (STYLE.md point 7).
 *
 * | item            | pk                     | sk              | gsi1 (pk / sk)                    | gsi2 / gsi3                       |
 * | group           | GROUP#<id>             | GROUP           | SLUG#<slug> / GROUP               | GROUPS / <createdAt>              |
 * | member          | MEMBER#<id>            | MEMBER          | GROUP#<gid>#MEMBERS / <name>      |                                   |
 * | member address  | ADDR#<gid>#<email>     | ADDR            |                                   | ADDRESS#<email> / <gid>           |
 * | api key         | APIKEY#<sha256>        | APIKEY          |                                   |                                   |
 * | referral state  | REF#<id>               | REF             | GROUP#<gid>#REFS / <createdAt>    | GIVEN#<mid> / …, RECEIVED#<mid> / … |
 * | timeline event  | REF#<id>               | EV#<seq:10>[#<version:9>#<n:2>] |  (an email's: n-th email of change `version`, after event seq) |
 * | outbox (email)  | REF#<id>               | OUT#<effectId>  | GROUP#<gid>#FAILING / <since>  (only while failing or parked)         |
 * | pending step    | STEP#<stepId>          | STEP            | STEPS / <due>#<stepId>            |                                   |
 * | once-marker     | ONCE#<key>             | ONCE            |  (claims, dedupe, rate limits; TTL)                                   |
 * | rate counter    | RATE#<kind:who:window> | RATE            |  (one per caller and fixed window; TTL)                                |
 * | magic link etc. | TOKEN#<hash>           | TOKEN           |                                                                       |
 */
export const TABLE_KEYS = {
  partitionKey: 'pk',
  sortKey: 'sk',
  gsis: [
    { name: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
    { name: 'gsi2', partitionKey: 'gsi2pk', sortKey: 'gsi2sk' },
    { name: 'gsi3', partitionKey: 'gsi3pk', sortKey: 'gsi3sk' },
  ],
  ttlAttribute: 'expiresAt',
} as const;

export const keys = {
  group: (id: string) => ({ pk: `GROUP#${id}`, sk: 'GROUP' }),
  groupSlug: (slug: string) => `SLUG#${slug}`,
  allGroups: 'GROUPS',
  member: (id: string) => ({ pk: `MEMBER#${id}`, sk: 'MEMBER' }),
  groupMembers: (groupId: string) => `GROUP#${groupId}#MEMBERS`,
  address: (groupId: string, email: string) => ({ pk: `ADDR#${groupId}#${email.toLowerCase()}`, sk: 'ADDR' }),
  addressIndex: (email: string) => `ADDRESS#${email.toLowerCase()}`,
  apiKey: (hash: string) => ({ pk: `APIKEY#${hash}`, sk: 'APIKEY' }),
  referral: (id: string) => ({ pk: `REF#${id}`, sk: 'REF' }),
  /** Timeline events sort by their sequence, kept as a counter on the state item (10 digits sort as text). */
  event: (referralId: string, seq: number) => ({ pk: `REF#${referralId}`, sk: eventSortKey(seq) }),
  /** An email's event sits right after the events of the change (version) that asked for it. */
  emailEvent: (referralId: string, afterSeq: number, version: number, n: number) => ({
    pk: `REF#${referralId}`,
    sk: `${eventSortKey(afterSeq)}#${String(version).padStart(9, '0')}#${String(n).padStart(2, '0')}`,
  }),
  outbox: (referralId: string, effectId: string) => ({ pk: `REF#${referralId}`, sk: `OUT#${effectId}` }),
  groupFailingEmails: (groupId: string) => `GROUP#${groupId}#FAILING`,
  groupReferrals: (groupId: string) => `GROUP#${groupId}#REFS`,
  given: (memberId: string) => `GIVEN#${memberId}`,
  received: (memberId: string) => `RECEIVED#${memberId}`,
  step: (stepId: string) => ({ pk: `STEP#${stepId}`, sk: 'STEP' }),
  allSteps: 'STEPS',
  once: (key: string) => ({ pk: `ONCE#${key}`, sk: 'ONCE' }),
  token: (hash: string) => ({ pk: `TOKEN#${hash}`, sk: 'TOKEN' }),
  rateCounter: (key: string) => ({ pk: `RATE#${key}`, sk: 'RATE' }),
  deadLetter: (id: string) => ({ pk: `DEAD#${id}`, sk: 'DEAD' }),
  /** A group's webhook endpoints live in the group's partition, one item each. */
  webhook: (groupId: string, id: string) => ({ pk: `GROUP#${groupId}`, sk: `WEBHOOK#${id}` }),
  webhookPrefix: 'WEBHOOK#',
  /** One delivery of one event to one endpoint; listed per group (gsi1) for the admin's view. */
  webhookDelivery: (id: string) => ({ pk: `HOOK#${id}`, sk: 'HOOK' }),
  groupWebhookDeliveries: (groupId: string) => `GROUP#${groupId}#HOOKS`,
  groupDeadLetters: (groupId: string) => `GROUP#${groupId}#DEAD`,
} as const;

export const EVENT_PREFIX = 'EV#';
export const OUTBOX_PREFIX = 'OUT#';
export const eventSortKey = (seq: number) => `${EVENT_PREFIX}${String(seq).padStart(10, '0')}`;
