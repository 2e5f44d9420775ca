import type { Group, Member, Referral, StepKind, TimelineEvent, Via } from '../domain/types.js';
import type { EmailIntent } from '../referrals/effects.js';

/** A pending timed step as the local scheduler keeps it. */
export interface StoredStep {
  stepId: string;
  referralId: string;
  kind: StepKind | 'digest' | 'email_retry' | 'webhook';
  due: string;
  /** For `email_retry`: the outbox effect to try again. */
  effectId?: string;
  /** How many times this step has been tried again after it threw (local runner only). */
  retry?: number;
}

/**
 * A claim written in the same transaction as the change it protects (Idempotency-Key, the 30-day
 * duplicate, an inbound Message-ID, a reply's dedupe key): both happen or neither does.
 */
export interface Guard {
  key: string;
  /** After this (judged at the write's `now`) the guard counts as free again. */
  expiresAt?: Date;
  data?: Record<string, string>;
}

/** The referral's prospect is no longer the one an email was prepared with (erased meanwhile). */
export class ProspectChangedError extends Error {
  constructor(readonly referralId: string) {
    super(`the prospect of ${referralId} changed`);
    this.name = 'ProspectChangedError';
  }
}

/** The guard was held already: the request is a repeat (or, for the duplicate key, a duplicate). */
export class GuardTakenError extends Error {
  constructor(readonly key: string) {
    super(`${key} is taken`);
    this.name = 'GuardTakenError';
  }
}

/** One email effect, as the outbox item keeps it. */
export interface OutboxEmail {
  effectId: string;
  referralId: string;
  groupId: string;
  intent: EmailIntent;
  via: Via;
  /** The email's timeline event goes right after event `eventAfter`, as the `n`-th email of change `version`. */
  eventAfter: number;
  version: number;
  n: number;
  /** The member ids the email may name, as of the change that asked for it: read with the referral (absent on older items). */
  people?: string[];
  /** The member it is addressed to, as of that change (absent for the prospect and on older items). */
  recipientId?: string;
  status: 'pending' | 'sending' | 'sent' | 'skipped' | 'failing' | 'parked';
  attempts: number;
  createdAt: string;
  failingSince?: string;
  lastError?: string;
  nextAttemptAt?: string;
  messageId?: string;
}

/** Everything one change to one referral writes, in one TransactWriteItems. */
export interface ReferralWrite {
  /** The stored version the change was decided on; 0 for a new referral. */
  expectedVersion: number;
  /** The new state (its version is expectedVersion + 1; `timeline` is not stored on it). */
  state: Referral;
  /** New timeline events, in order; they get the sequence numbers after the state's counter. */
  events: TimelineEvent[];
  /** One outbox item each; ids are deterministic (`<referralId>.<version>.<n>`). */
  emails: { intent: EmailIntent; via: Via }[];
  guards: Guard[];
  /** Guard keys given back if this referral still holds them (the duplicate key when it closes). */
  releases?: string[];
  now: Date;
}

export interface TimelinePage {
  events: TimelineEvent[];
  /** Cursor for the next page, when there is one. */
  next?: string;
}

export interface ApiKeyRecord {
  groupId: string;
  memberId: string;
  /** The member's `apiKeyGeneration` when issued (absent = 1); the key works only while they match. */
  generation?: number;
}

export interface DeadLetter {
  id: string;
  groupId?: string;
  receivedAt: string;
  reason: string;
  from?: string;
  envelopeTo: string[];
  /** The raw message, base64, when it is small enough to sit in the item (see RAW_INLINE_LIMIT). */
  rawBase64?: string;
  /** Where a larger raw message is kept instead: `s3://bucket/key` in AWS, `file:<name>` under DATA_DIR locally. */
  rawRef?: string;
  /** Size of the raw message in bytes. */
  size?: number;
}

/** Dead letters and their raw mail are kept this long (TTL in AWS, the same window locally). */
export const DEAD_LETTER_DAYS = 30;

/** One page of a list, newest (or first by name) first. */
export interface Page<T> {
  items: T[];
  /** Opaque: pass it as `after` for the next page; absent on the last page. */
  after?: string;
}

export interface PageRequest {
  /** At most this many items. */
  limit: number;
  /** The `after` of the previous page. A cursor the store cannot read is an InvalidCursorError. */
  after?: string;
}

/** Whose referrals, as `listReferralsPage` reads them; `involving` is given and received together. */
export type ReferralListQuery = { groupId: string } | { givenBy: string } | { receivedBy: string } | { involving: string };

export interface CreateReferralResult {
  referral: Referral;
  /** false when the Idempotency-Key was seen before and the first referral is returned. */
  created: boolean;
}

/**
 * The ledger port. The DynamoDB adapter is its only implementation; every write that can race is
 * conditional (version numbers on groups, members and referrals; attribute_not_exists on claims).
 */
export interface ReferralStore {
  createGroup(group: Group): Promise<void>;
  getGroup(id: string): Promise<Group | undefined>;
  getGroupBySlug(slug: string): Promise<Group | undefined>;
  listGroups(): Promise<Group[]>;
  /** Writes `group` if its version is still the stored one; returns it with version + 1. */
  updateGroup(group: Group): Promise<Group>;

  /** Creates the member and claims its addresses; ConflictError when an address is taken in the group. */
  createMember(member: Member): Promise<void>;
  /**
   * Creates several members in one transaction (all or none; at most 100 items counting each
   * member and each address claim): ConflictError when any address is taken.
   */
  createMembers(members: Member[]): Promise<void>;
  getMember(id: string): Promise<Member | undefined>;
  /** A group and some members in one BatchGetItem (the parties of a new referral). */
  getGroupAndMembers(groupId: string, memberIds: string[]): Promise<{ group?: Group; members: Map<string, Member> }>;
  listMembers(groupId: string): Promise<Member[]>;
  /** A member of the group whose primary or verified extra address is `email`. */
  findMemberByAddress(groupId: string, email: string): Promise<Member | undefined>;
  /** Every membership (any group) whose primary or verified extra address is `email`. */
  findMembersByEmail(email: string): Promise<Member[]>;
  /** Version-checked; claims added addresses and releases removed ones in one transaction. */
  updateMember(member: Member): Promise<Member>;

  putApiKey(hash: string, record: ApiKeyRecord): Promise<void>;
  getApiKey(hash: string): Promise<ApiKeyRecord | undefined>;

  /** The state with its whole timeline (and its failing emails shown as timeline entries). */
  getReferral(id: string): Promise<Referral | undefined>;
  /** The state item only (`timeline: []`); a referral still in the old one-item shape is migrated first. */
  getReferralState(id: string): Promise<Referral | undefined>;
  /**
   * The state item (as getReferralState), a group and some members in one BatchGetItem: what an email
   * effect needs. With `suppressionOf`, whether that address is suppressed (as isSuppressed, in the group) too.
   */
  getReferralAndParties(
    referralId: string,
    groupId: string,
    memberIds: string[],
    suppressionOf?: string,
  ): Promise<{ referral?: Referral; group?: Group; members: Map<string, Member>; suppression?: { address: string; suppressed: boolean } }>;
  /** One page of the timeline, oldest first; failing emails are in it where their event will be. */
  getTimeline(id: string, page?: { limit?: number; after?: string }): Promise<TimelinePage>;
  /**
   * The one write of a change: state (version-checked), events, outbox items, guards.
   * @throws StaleWriteError when the state moved on (re-read and decide again), GuardTakenError
   */
  commitReferral(write: ReferralWrite): Promise<Referral>;
  /** A guard's item (its data), when held and not expired at `now`. */
  getGuard(key: string, now: Date): Promise<Record<string, string> | undefined>;
  /** Rewrites every stored event of a referral (erasing a prospect's details); idempotent. */
  rewriteTimeline(id: string, rewrite: (e: TimelineEvent) => TimelineEvent): Promise<void>;

  getEmailEffect(referralId: string, effectId: string): Promise<OutboxEmail | undefined>;
  /** Takes the effect for sending until `leaseUntil` (real time); undefined when done or leased by another. */
  /** `claimToken` (random when absent) makes a resent claim succeed for the claimer that holds it. */
  claimEmailEffect(referralId: string, effectId: string, leaseUntil: Date, realNow: Date, claimToken?: string): Promise<OutboxEmail | undefined>;
  /** Marks the claimed effect sent (or skipped) and stores its timeline event, in one transaction. */
  /**
   * Marks the effect done and writes its timeline event, in one transaction. With `prospectName`, only
   * while the referral's prospect still has that name: else {@link ProspectChangedError} (the prospect
   * was erased meanwhile, and the event must be scrubbed first).
   */
  finishEmailEffect(effect: OutboxEmail, outcome: { status: 'sent' | 'skipped'; event: TimelineEvent; messageId?: string }, prospectName?: string): Promise<void>;
  /** Records a failed attempt: failing (with the next attempt) or parked for good. */
  failEmailEffect(effect: OutboxEmail, failure: { at: Date; error: string; nextAttemptAt?: Date }): Promise<void>;
  /** Emails of the group's referrals that are failing or parked, oldest first. */
  listFailingEmails(groupId: string): Promise<OutboxEmail[]>;
  listReferrals(
    query: { groupId: string } | { givenBy: string } | { receivedBy: string },
  ): Promise<Referral[]>;

  /** A page of referrals, newest first, optionally of one status. */
  listReferralsPage(query: ReferralListQuery, page: PageRequest & { status?: string }): Promise<Page<Referral>>;
  /** A page of a group's members by name; `activeOnly` leaves removed members out. */
  listMembersPage(groupId: string, page: PageRequest & { activeOnly?: boolean }): Promise<Page<Member>>;
  /** A page of a group's dead letters, newest first. */
  /** Letters past their TTL at `now` are left out. */
  listDeadLettersPage(groupId: string, page: PageRequest, now?: Date): Promise<Page<DeadLetter>>;

  putStep(step: StoredStep): Promise<void>;
  /** Several at once (the steps one change plans), in batches; each replaces a row of the same id. */
  putSteps(steps: StoredStep[]): Promise<void>;
  /** With `onlyIfDue`: only while it is still due then (a step re-planned meanwhile stays). */
  deleteStep(stepId: string, onlyIfDue?: string): Promise<void>;
  /** Steps due at or before `until`, earliest first. */
  listDueSteps(until: Date, limit?: number): Promise<StoredStep[]>;

  /** Atomically claims a key; true the first time only (until it expires, judged at `now`). */
  claimOnce(key: string, expiresAt?: Date, now?: Date): Promise<boolean>;
  releaseOnce(key: string): Promise<void>;

  /**
   * Adds `n` to the counter `key` unless that would take it past `limit`, in one conditional write;
   * false when refused. The counter is removed by TTL after `expiresAt`.
   */
  countInWindow(key: string, n: number, limit: number, expiresAt: Date): Promise<boolean>;

  /** Single-use secrets (magic links, address confirmations), stored by hash. */
  putToken(hash: string, data: Record<string, string>, expiresAt: Date): Promise<void>;
  /** Deletes and returns the token, or undefined when missing, used or expired at `now`. */
  takeToken(hash: string, now: Date): Promise<Record<string, string> | undefined>;
  /** The token's data while valid at `now`, without using it up (sessions). */
  readToken(hash: string, now: Date): Promise<Record<string, string> | undefined>;
  /** Ends a token at once (sign-out); nothing when it is already gone. */
  dropToken(hash: string): Promise<void>;

  /**
   * No more email to this address: everywhere for bounces and complaints (they hurt the sending
   * reputation), or only from one group for a prospect's `stop` (PRODUCT.md: "from the group").
   */
  suppress(email: string, reason: string, at: Date, groupId?: string): Promise<void>;
  /** Suppressed everywhere, or (with `groupId`) for that group. */
  isSuppressed(email: string, groupId?: string): Promise<boolean>;
  /** Which of `emails` are suppressed (everywhere, or for `groupId`), lower-cased: one read for a whole group's members. */
  suppressedAmong(emails: readonly string[], groupId?: string): Promise<Set<string>>;

  /** Stored with a TTL of DEAD_LETTER_DAYS after `receivedAt`. */
  putDeadLetter(letter: DeadLetter): Promise<void>;
  /** Newest first; letters past their TTL at `now` are left out (DynamoDB deletes them late, DynamoDB Local never). */
  listDeadLetters(groupId: string, now?: Date): Promise<DeadLetter[]>;
  deleteDeadLetter(id: string): Promise<void>;

  /**
   * Moves every referral still in the old one-item shape (timeline inside) to the current layout,
   * and gives open ones of the last 30 days their duplicate key. Idempotent and resumable: each
   * referral moves on its own, and a second run finds nothing left.
   */
  migrateLegacyReferrals(now: Date, duplicateKeyOf: (r: Referral) => Guard | undefined): Promise<{ scanned: number; migrated: number; duplicateKeys: number }>;

  /** Health probe. */
  ping(): Promise<void>;

  putWebhook(webhook: WebhookEndpoint): Promise<void>;
  listWebhooks(groupId: string): Promise<WebhookEndpoint[]>;
  /** true when it existed. */
  deleteWebhook(groupId: string, id: string): Promise<boolean>;
  /** false when a delivery with this id exists already (the same event raised twice). */
  createWebhookDelivery(delivery: WebhookDelivery): Promise<boolean>;
  getWebhookDelivery(id: string): Promise<WebhookDelivery | undefined>;
  /** Version-checked; throws StaleWriteError when someone else changed it first. */
  updateWebhookDelivery(delivery: WebhookDelivery): Promise<WebhookDelivery>;
  /** Newest first; failing and parked ones are what the admin needs to see. */
  listWebhookDeliveries(groupId: string, limit?: number): Promise<WebhookDelivery[]>;
}

/** An outgoing webhook a group's admin registered (Standard Webhooks; the secret signs every delivery). */
export interface WebhookEndpoint {
  id: string;
  groupId: string;
  url: string;
  events: string[];
  /** `whsec_…`: needed to sign, so kept (the table is encrypted at rest); shown to the admin once. */
  secret: string;
  createdAt: string;
}

/** One event on its way to one endpoint (Standard Webhooks: the same id and body on every attempt). */
export interface WebhookDelivery {
  /** Deterministic from the event and the endpoint, so raising an event twice delivers it once. */
  id: string;
  groupId: string;
  endpointId: string;
  /** The endpoint's URL when the event was raised (shown to the admin). */
  url: string;
  /** The Standard Webhooks message id (`msg_…`), the receiver's idempotency key. */
  messageId: string;
  /** The event type, e.g. `referral.won` (not `type`: that names the item's kind in the table). */
  event: string;
  body: string;
  status: 'pending' | 'sent' | 'failing' | 'parked';
  /** Attempts made so far. */
  attempts: number;
  createdAt: string;
  firstAttemptAt?: string;
  lastAttemptAt?: string;
  lastError?: string;
  nextAttemptAt?: string;
  sentAt?: string;
  version: number;
}
