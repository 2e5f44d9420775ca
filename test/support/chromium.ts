import { chromium, type Browser, type BrowserServer } from 'playwright-core';

/** Debian's Chromium (never a test tool's own download: the machine has no network for it). */
const CHROMIUM = '/usr/bin/chromium';
/** Without these, Chromium reaches for the closed network at start and stalls. */
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const OPTIONS = { executablePath: CHROMIUM, args: ARGS, headless: true };

/** One Chromium for the whole integration run (global-setup.ts): its browser files connect to it. */
export const launchChromiumServer = (): Promise<BrowserServer> => chromium.launchServer(OPTIONS);

/**
 * A browser for one test: a connection to the run's Chromium when there is one (a launch costs
 * about 2 s of CPU, and five files each launched their own), else a Chromium of its own. Either
 * way `close()` ends what the test opened.
 */
export function openChromium(wsEndpoint?: string): Promise<Browser> {
  return wsEndpoint ? chromium.connect(wsEndpoint) : chromium.launch(OPTIONS);
}
