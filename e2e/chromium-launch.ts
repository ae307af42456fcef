// How the e2e browser starts: the Chromium scripts/find-chromium.mjs found (CHROMIUM_PATH; Debian's otherwise), quiet
// (no background networking, updates or sync) and sandboxless (CI runs as root); a spec adds what it turns on or off.
export function chromiumLaunch(extraArgs: string[]): { executablePath: string; args: string[] } {
  return {
    executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
      ...extraArgs,
    ],
  };
}
