/**
 * Where recent emails to each member went, kept in this process only (the effects Lambda's warm
 * container, or the local stack): a guess of the next email's address, so that its suppression
 * check is read in the same batch as the referral. A wrong or missing guess costs only the separate
 * read it saves; the email always goes to the address read with it. Members only: a prospect's
 * address is not kept anywhere it could outlive an erasure.
 */
export class AddressHints {
  private readonly byMember = new Map<string, string>();

  constructor(private readonly max = 10_000) {}

  get(memberId: string): string | undefined {
    return this.byMember.get(memberId);
  }

  /** Remembers the newest; past `max` members, the one remembered longest ago is forgotten. */
  set(memberId: string, address: string): void {
    this.byMember.delete(memberId);
    this.byMember.set(memberId, address);
    if (this.byMember.size > this.max) this.byMember.delete(this.byMember.keys().next().value!);
  }
}
