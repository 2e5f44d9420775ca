/**
 * Pages reached without signing in: sign-in by magic link, sign-out, and the signed one-click links
 * in emails (a prospect's stop, a member's unsubscribe, an extra-address confirmation).
 */
import { turnOffOptionalEmails } from '../../members/optional-emails.js';
import type { Hono } from 'hono';
import { DomainError, ForbiddenError } from '../../domain/errors.js';
import { verifyValue } from '../../domain/signed-link.js';
import { hashSecret } from '../../members/api-keys.js';
import { confirmExtraAddress } from '../../members/members.js';
import { emailSchema } from '../../members/schemas.js';
import type { Referral } from '../../domain/types.js';
import { performAction } from '../../referrals/engine.js';
import { endSession, startSession, verificationSecrets } from '../auth.js';
import type { AppEnv } from '../context.js';
import { MAGIC_LINK_MINUTES, sendMagicLink } from '../mail-links.js';
import { Input, Layout, MessagePage, type FieldErrors } from './layout.js';
import { html, readForm, seeOther, type PageContext } from './page-kit.js';

function SignInPage(props: { email?: string; errors?: FieldErrors }) {
  return (
    <Layout title="Sign in">
      <h1>Sign in</h1>
      <div class="card">
        <p>Enter the email address your group knows you by. We will email you a link that signs you in: it works once, for {MAGIC_LINK_MINUTES} minutes.</p>
        <form method="post" action="/signin">
          <Input name="email" label="Your email address" type="email" value={props.email} errors={props.errors} required maxlength={254} autocomplete="email" />
          <div class="actions">
            <button type="submit">Email me a sign-in link</button>
          </div>
        </form>
      </div>
      <p class="muted">Referral Relay closes the referral loop for your networking group: most of it happens by replying to its emails.</p>
    </Layout>
  );
}

const linkProblem = (c: PageContext, title: string, text: string) =>
  html(c, <MessagePage title={title} session={c.get('session')} text={text} link={{ href: '/signin', label: 'Email me a new sign-in link' }} />, 400);

export function registerAccessPages(pages: Hono<AppEnv>) {
  pages.get('/', (c) => (c.get('session') ? seeOther(c, '/referrals') : html(c, <SignInPage />)));

  pages.get('/signin', (c) => (c.get('session')?.via === 'web' ? seeOther(c, '/referrals') : html(c, <SignInPage />)));

  pages.post('/signin', async (c) => {
    const deps = c.get('deps');
    const form = await readForm(c);
    const parsed = emailSchema.safeParse(form.get('email'));
    if (!parsed.success) return html(c, <SignInPage email={form.get('email')} errors={{ email: 'Enter an email address like name@example.com' }} />, 422);
    const email = parsed.data;
    // The same answer whether or not the address belongs to anyone: nothing here tells a stranger
    // who is a member. The limit counts asks per address, member or not, so a 429 tells nothing either.
    const allowance = await deps.limits.tryTake('signIn', email);
    if (!allowance.ok) {
      deps.log.warn('sign-in links over the limit', { email });
      c.header('Retry-After', String(allowance.retryAfterSeconds));
      return html(
        c,
        <MessagePage
          title="Too many sign-in links"
          text={`Several sign-in links were asked for ${email} a short while ago. Use the newest one, or ask again in ${Math.ceil(allowance.retryAfterSeconds / 60)} minutes.`}
          link={{ href: '/signin', label: 'Back to sign in' }}
        />,
        429,
      );
    }
    const memberships = (await deps.store.findMembersByEmail(email)).filter((m) => m.status === 'active');
    for (const member of memberships) {
      try {
        const group = await deps.store.getGroup(member.groupId);
        if (group) await sendMagicLink(deps, member, group.name);
      } catch (err) {
        deps.log.error('sign-in link not sent', { memberId: member.id, err: String(err) });
      }
    }
    return html(
      c,
      <MessagePage
        title="Check your email"
        text={`If ${email} belongs to a member, a sign-in link is on its way. It works once, for ${MAGIC_LINK_MINUTES} minutes. Nothing after a few minutes? Check your spam folder, or ask again.`}
        link={{ href: '/signin', label: 'Back to sign in' }}
      />,
    );
  });

  // Opening the link only shows a button: mail scanners that prefetch links (Outlook Safe Links and
  // the like) would otherwise spend the single-use token before the person clicks.
  pages.get('/signin/:token', (c) =>
    html(
      c,
      <MessagePage title="Sign in to Referral Relay" text="One click and you are in. This link works once.">
        <form method="post" action={`/signin/${encodeURIComponent(c.req.param('token'))}`}>
          <button type="submit">Sign in</button>
        </form>
      </MessagePage>,
    ),
  );

  pages.post('/signin/:token', async (c) => {
    const deps = c.get('deps');
    const token = c.req.param('token');
    const data = /^[A-Za-z0-9_-]{20,100}$/.test(token) ? await deps.store.takeToken(hashSecret(token), deps.clock.now()) : undefined;
    const member = data?.purpose === 'signin' && data.memberId ? await deps.store.getMember(data.memberId) : undefined;
    if (!member || member.status !== 'active') {
      return linkProblem(c, 'This sign-in link no longer works', `Sign-in links work once and only for ${MAGIC_LINK_MINUTES} minutes. This one has been used or has expired.`);
    }
    await startSession(c, member);
    return seeOther(c, '/referrals');
  });

  pages.post('/signout', async (c) => {
    await endSession(c);
    return seeOther(c, '/signin');
  });

  // ---- extra sender address confirmation (the token proves the click came from that mailbox) ----
  // Like sign-in links, opening the link only shows a button: a mail scanner that prefetches links in
  // a mailbox the member does not control must not confirm the address for them.
  pages.get('/confirm-address/:token', (c) =>
    html(
      c,
      <MessagePage title="Confirm this address" session={c.get('session')} text="One click confirms that you send email from this address. This link works once.">
        <form method="post" action={`/confirm-address/${encodeURIComponent(c.req.param('token'))}`}>
          <button type="submit">Confirm the address</button>
        </form>
      </MessagePage>,
    ),
  );

  pages.post('/confirm-address/:token', async (c) => {
    const deps = c.get('deps');
    const token = c.req.param('token');
    const data = /^[A-Za-z0-9_-]{20,100}$/.test(token) ? await deps.store.takeToken(hashSecret(token), deps.clock.now()) : undefined;
    if (data?.purpose !== 'confirm_address' || !data.memberId || !data.address) {
      return html(c, <MessagePage title="This link no longer works" session={c.get('session')} text="Confirmation links work once, for 3 days. Add the address again on your profile page to get a new one." link={{ href: '/profile', label: 'Open my profile' }} />, 400);
    }
    try {
      await confirmExtraAddress(deps, data.memberId, data.address);
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      const text = err instanceof ForbiddenError ? `${data.address} is no longer waiting for confirmation. Add it again on your profile page if you still want it.` : err.message;
      return html(c, <MessagePage title="Not confirmed" session={c.get('session')} text={text} link={{ href: '/profile', label: 'Open my profile' }} />, err.status === 409 ? 409 : 400);
    }
    return html(
      c,
      <MessagePage
        title="Address confirmed"
        session={c.get('session')}
        text={`${data.address} is now one of your addresses: replies and forwarded referrals from it count as yours.`}
        link={{ href: '/profile', label: 'Open my profile' }}
      />,
    );
  });

  // ---- a prospect's one-click stop: GET only asks (link scanners prefetch), POST acts ----
  const stopTarget = async (c: PageContext) => {
    const deps = c.get('deps');
    const id = verifyValue('stop', c.req.param('signed') ?? '', verificationSecrets(deps.config));
    const referral = id ? await deps.store.getReferral(id) : undefined;
    const group = referral ? await deps.store.getGroup(referral.groupId) : undefined;
    return referral && group ? { referral, group } : undefined;
  };
  // The prospect's own stop (state), never a member's `stop` (which only turns off their optional emails).
  // Referrals stopped before prospectStoppedAt existed: the prospect's own stop event.
  const stopped = (r: Referral) => !!r.prospectStoppedAt || r.timeline.some((e) => e.kind === 'stop' && e.actor === 'prospect');
  const badStopLink = (c: PageContext) => html(c, <MessagePage title="This link is not valid" text="The link may have been cut short by your email program. Copy the whole link from the email, or reply “stop” to the email instead." />, 400);

  pages.get('/stop/:signed', async (c) => {
    const target = await stopTarget(c);
    if (!target) return badStopLink(c);
    const { referral, group } = target;
    if (stopped(referral)) {
      return html(c, <MessagePage title="You will get no more emails" text={`Done. ${group.name} will not email you about this again through Referral Relay, and the member who was going to help you has been told.`} />);
    }
    return html(
      c,
      <Layout title="Stop these emails?">
        <h1>Stop these emails?</h1>
        <div class="card">
          <p>A member of {group.name} passed on your details so that someone could help you. If you would rather not hear about this, we will stop all emails to you from this group, and tell the member who was going to get in touch.</p>
          <form method="post" action={`/stop/${c.req.param('signed')}`}>
            <div class="actions">
              <button type="submit">Yes, stop the emails</button>
            </div>
          </form>
        </div>
      </Layout>,
    );
  });

  pages.post('/stop/:signed', async (c) => {
    const deps = c.get('deps');
    const target = await stopTarget(c);
    if (!target) return badStopLink(c);
    const { referral } = target;
    if (!stopped(referral)) {
      if (referral.prospect.email) await deps.store.suppress(referral.prospect.email, 'stop', deps.clock.now(), referral.groupId);
      await performAction(deps, referral.id, { action: 'prospect_stop' }, { role: 'prospect', actorId: 'prospect', via: 'web' });
    }
    return seeOther(c, `/stop/${c.req.param('signed')}`);
  });

  // ---- a member's one-click unsubscribe from optional emails (digest, give-back nudges) ----
  const unsubscribeTarget = async (c: PageContext) => {
    const deps = c.get('deps');
    const id = verifyValue('unsubscribe', c.req.param('signed') ?? '', verificationSecrets(deps.config));
    return id ? deps.store.getMember(id) : undefined;
  };
  const badUnsubscribeLink = (c: PageContext) => html(c, <MessagePage title="This link is not valid" text="The link may have been cut short by your email program. Copy the whole link, or reply “stop” to the digest instead." />, 400);

  pages.get('/unsubscribe/:signed', async (c) => {
    const member = await unsubscribeTarget(c);
    if (!member) return badUnsubscribeLink(c);
    if (member.optionalEmailsOff) {
      return html(c, <MessagePage title="You are unsubscribed" session={c.get('session')} text="No more digests or give-back nudges. Emails about referrals you hold still come until you update them." />);
    }
    return html(
      c,
      <Layout title="Unsubscribe?" session={c.get('session')}>
        <h1>Unsubscribe from optional emails?</h1>
        <div class="card">
          <p>{member.name}, you will get no more weekly digests or give-back nudges. Emails about referrals given to you keep coming until you update them or pass them on.</p>
          <form method="post" action={`/unsubscribe/${c.req.param('signed')}`}>
            <div class="actions">
              <button type="submit">Yes, unsubscribe</button>
            </div>
          </form>
        </div>
      </Layout>,
    );
  });

  pages.post('/unsubscribe/:signed', async (c) => {
    const deps = c.get('deps');
    const signed = c.req.param('signed');
    const member = await unsubscribeTarget(c);
    if (!member) return badUnsubscribeLink(c);
    await turnOffOptionalEmails(deps.store, member.id);
    return seeOther(c, `/unsubscribe/${signed}`);
  });
}
