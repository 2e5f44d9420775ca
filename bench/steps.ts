export async function runStepsBench(_: {count: number}) { return { meetsTarget: false }; }
