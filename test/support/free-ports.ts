import { createServer, type AddressInfo, type Server } from 'node:net';

/** Free ports chosen at start, so a test run never collides with `npm start` or another run. */
export async function freePorts(count: number): Promise<string[]> {
  const servers = await Promise.all(
    Array.from({ length: count }, () => new Promise<Server>((ok) => { const s = createServer(); s.listen(0, '127.0.0.1', () => ok(s)); })),
  );
  const ports = servers.map((s) => String((s.address() as AddressInfo).port));
  await Promise.all(servers.map((s) => new Promise((ok) => s.close(ok))));
  return ports;
}

/** One free port (see freePorts: ask for several at once when they must differ). */
export async function freePort(): Promise<number> {
  return Number((await freePorts(1))[0]);
}
