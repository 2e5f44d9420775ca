import * as r from './receipt.js';
const d = { groupName: 'BNI Central', recipientName: 'Ann Lee', replyWords: [{word:'cancel', meaning:'withdraw this referral'},{word:'no intro', meaning:'do not send the introduction'}],
 links: { web: 'https://relay.example/r/1' },
 referral: { prospectName: 'Bob <script>alert(1)</script>\r\nBcc: x', prospectEmail: 'bob@x.com', need: 'Kitchen refit', note: 'Met him at\nthe expo', consent: true, temperature: 4, status: 'logged' as const, providerName: 'Jane Smith', providerBusiness: 'Acme Plumbing', referrerName: 'Ann Lee', introAt: 'today at 14:30' } };
console.log(r.subject(d)); console.log(r.html(d).toString()); console.log(r.text(d));
