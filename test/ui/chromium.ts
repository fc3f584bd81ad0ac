import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { ROOT } from '../helpers.ts';

/** Debian's chromium, which `.ci/run` installs; the browser suites skip without it. */
export const CHROMIUM = process.env.ECOTONE_CHROMIUM ?? '/usr/bin/chromium';
export const HAS_CHROMIUM = existsSync(CHROMIUM);
/** Where screenshots go: test-results/ is gitignored and kept by CI as an artefact. */
export const SCREENSHOTS = join(ROOT, 'test-results', 'ui');

if (!HAS_CHROMIUM)
  console.warn(
    `browser tests skipped: no chromium at ${CHROMIUM} (apt-get install chromium, or set ECOTONE_CHROMIUM)`,
  );

/** Headless Chromium through playwright-core; `--no-sandbox` because CI runs as root. */
export async function launchChromium(): Promise<Browser> {
  const { chromium } = await import('playwright-core');
  await mkdir(SCREENSHOTS, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM,
    args: process.getuid?.() === 0 ? ['--no-sandbox'] : [],
  });
}
