// placeholder: the lead replaces this
export const handler = async (_event: unknown) => ({ ok: true });
