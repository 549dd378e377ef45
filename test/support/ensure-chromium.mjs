// The browser tests need Chromium. Where it is missing, install Debian's package when we may (root
// with apt-get), or say exactly what to install.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const path = process.env.CHROME_PATH ?? '/usr/bin/chromium';
if (!existsSync(path)) {
  const root = process.getuid?.() === 0;
  const apt = existsSync('/usr/bin/apt-get');
  if (!root || !apt) {
    console.error(`Chromium is not at ${path}. Install it (Debian/Ubuntu: \`sudo apt-get install -y chromium\`) ` +
      'or point CHROME_PATH at a Chromium or Chrome binary.');
    process.exit(1);
  }
  console.log('Installing Chromium from Debian\'s packages (about 40 s)…');
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
  execFileSync('apt-get', ['install', '-y', '-qq', 'chromium'], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
}
