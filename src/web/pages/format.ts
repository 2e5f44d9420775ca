/** Words and dates as the pages show them. Pure. */
import { formatInZone, parseIsoInZone } from '../../domain/zoned-time.js';
import type { Status, Weekday } from '../../domain/types.js';

/** "3 Mar 2025, 14:05" in the group's timezone. */
export function formatWhen(iso: string, timezone: string): string {
  const at = parseIsoInZone(iso, timezone);
  return at === undefined ? iso : formatInZone(at, timezone, 'd LLL yyyy, HH:mm');
}

/** "3 Mar 2025" in the group's timezone. */
export function formatDay(iso: string, timezone: string): string {
  const at = parseIsoInZone(iso, timezone);
  return at === undefined ? iso.slice(0, 10) : formatInZone(at, timezone, 'd LLL yyyy');
}

export function formatMoney(amount: number, currency: string): string {
  try {
    return new Intl.NumberFormat('en-GB', { style: 'currency', currency }).format(amount);
  } catch {
    return `${amount} ${currency}`;
  }
}

export const STATUS_LABEL: Record<Status, string> = {
  needs_info: 'Needs info',
  logged: 'Logged',
  contacted: 'Contacted',
  met: 'Met',
  proposal: 'Proposal',
  won: 'Won',
  lost: 'Lost',
  passed: 'Passed',
  withdrawn: 'Withdrawn',
  dormant: 'Dormant',
};

/** Timed steps and email kinds, in words. */
export const STEP_LABEL: Record<string, string> = {
  thank_you_prompt: 'Thank-you prompt to the provider',
  intro: 'Introduction email to the prospect',
  contact_reminder: 'Contact reminder to the provider',
  escalation: 'Escalation to provider and referrer',
  connection_check: 'Connection check with the prospect',
  progress_request: 'Progress request to the provider',
  experience_check: 'Experience check with the prospect',
  needs_info_reminder: 'Reminder: details still missing',
  needs_info_expiry: 'Draft withdrawn if still incomplete',
  receipt: 'Receipt to the referrer',
  provider_notice: 'New-referral notice to the provider',
  escalation_notice: 'Escalation notice to the referrer',
  milestone: 'Milestone update to the referrer',
  quality_question: '"Was this a good referral?" to the provider',
  give_back: 'Give-back nudge to the provider',
  thanks_relay: 'Thank-you passed on to the referrer',
  alert: 'Alert',
  needs_info: 'Question about missing details',
  help: 'Help with reply commands',
  refusal: 'Refusal',
  dormant_notice: 'Dormant notice to the referrer',
  relay: 'Message passed on',
  notice: 'Notice',
};

export const stepLabel = (kind: string) => STEP_LABEL[kind] ?? kind.replace(/_/g, ' ');

export const VIA_LABEL: Record<string, string> = {
  web: 'web',
  api: 'API',
  email: 'email',
  reply: 'email reply',
  schedule: 'schedule',
  system: 'system',
  cli: 'admin tool',
};

/** BNI-style temperature: how much the referrer did before handing the prospect over. */
export const TEMPERATURES: { value: number; title: string; explanation: string }[] = [
  { value: 1, title: 'Contact details only', explanation: 'A name and a way to reach them. They do not know yet that someone will get in touch.' },
  { value: 2, title: 'They expect a call', explanation: 'You told them a trusted contact will be in touch, and they said that is fine.' },
  { value: 3, title: 'Talked it through', explanation: 'You explained what the provider does and why they are good; the prospect wants to hear from them.' },
  { value: 4, title: 'Introduced and vouched for', explanation: 'You introduced them yourself (call, email or message) and recommended the provider personally.' },
  { value: 5, title: 'Met them together', explanation: 'You arranged or joined a first meeting with both of them: the warmest hand-over there is.' },
];

export const WEEKDAYS: { value: Weekday; name: string; short: string }[] = [
  { value: 1, name: 'Monday', short: 'Mon' },
  { value: 2, name: 'Tuesday', short: 'Tue' },
  { value: 3, name: 'Wednesday', short: 'Wed' },
  { value: 4, name: 'Thursday', short: 'Thu' },
  { value: 5, name: 'Friday', short: 'Fri' },
  { value: 6, name: 'Saturday', short: 'Sat' },
  { value: 7, name: 'Sunday', short: 'Sun' },
];

/**
 * One-line confirmations after a redirect (`?done=<code>`). Only these fixed texts are ever shown,
 * so nothing from the URL is reflected into the page.
 */
export const DONE_MESSAGES: Record<string, string> = {
  webhook_removed: 'Webhook removed: nothing more is sent to it.',
  anniversary_done: 'Recorded: anniversary note sent. The referrer hears the customer is still yours.',
  anniversary_skip: 'Recorded: no anniversary note this year.',
  logged: 'Referral logged. The provider has been told and your receipt is on its way by email.',
  contacted: 'Recorded: contact made.',
  met: 'Recorded: you have met.',
  proposal: 'Recorded: proposal sent.',
  won: 'Recorded: won. Congratulations!',
  lost: 'Recorded: lost, with the reason.',
  pass: 'Passed on. The referrer has been told who would be better.',
  thanks: 'Your thanks are on their way to the referrer.',
  thanked: 'Recorded: you thanked the referrer.',
  share: 'The closed value is now shared with the referrer.',
  snooze: 'Progress requests snoozed.',
  note: 'Private note saved.',
  good: 'Thanks: the referrer will hear it was a good referral.',
  poor: 'Thanks: the referrer will hear why it was a poor referral.',
  ask: 'Your question is on its way.',
  reopen: 'Referral reopened.',
  withdraw: 'Referral withdrawn. The provider has been told.',
  no_intro: 'No introduction email will go to the prospect.',
  reassign: 'Referral reassigned. The new provider has been told.',
  erase_prospect: 'The prospect’s details have been erased.',
  profile: 'Profile saved.',
  profile_confirm: 'Profile saved. We sent a confirmation link to each new address.',
  resent: 'Confirmation link sent again.',
  settings: 'Settings saved.',
};
