export async function runFaultsBench(_: {referrals: number}) { return { meetsTarget: false }; }
