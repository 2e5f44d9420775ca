import { describe, expect, it } from 'vitest';
import { isAutoReply } from '../../../src/inbound/auto-reply.js';

const check = (headers: Record<string, string>, fromEmail = 'alice@morganlaw.example', subject = 'Fwd: hello') =>
  isAutoReply({ headers, fromEmail, subject });

describe('isAutoReply', () => {
  it.each([
    [{ 'auto-submitted': 'auto-replied' }],
    [{ 'auto-submitted': 'auto-generated' }],
    [{ precedence: 'bulk' }],
    [{ precedence: 'junk' }],
    [{ precedence: 'list' }],
    [{ precedence: 'auto_reply' }],
    [{ 'x-autoreply': 'yes' }],
    [{ 'x-autorespond': 'Out of office' }],
    [{ 'content-type': 'multipart/report; report-type=delivery-status; boundary=x' }],
    [{ 'return-path': '<>' }],
    [{ 'return-path': ' < > ' }],
  ])('%j', (headers) => {
    expect(check(headers)).toBe(true);
  });

  it('recognises machine senders and out-of-office subjects', () => {
    expect(check({}, 'MAILER-DAEMON@mx.example')).toBe(true);
    expect(check({}, 'postmaster@mx.example')).toBe(true);
    expect(check({}, undefined, 'Automatic reply: Fwd: Payroll')).toBe(true);
    expect(check({}, undefined, 'Abwesenheitsnotiz: Altersvorsorge')).toBe(true);
  });

  it('lets ordinary mail through', () => {
    expect(check({ 'auto-submitted': 'no', precedence: 'normal', 'return-path': '<alice@morganlaw.example>' })).toBe(false);
    expect(check({}, undefined, 'Fwd: Out of office')).toBe(false);
    expect(check({ 'x-auto-response-suppress': 'All' })).toBe(false);
  });
});
