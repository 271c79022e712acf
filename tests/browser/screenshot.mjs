// Screenshot an HTML page (an nbconvert export of a notebook) in Debian's Chromium, so a
// person can look at what users see. Prints what it found on the page as JSON and exits
// non-zero when an image failed to load.
//
//   node screenshot.mjs PAGE.html|URL OUT.png [--width 1280] [--dark] [--wait CSS-SELECTOR]
//
// A URL (a running JupyterLab, say) is opened as it is; --wait waits for an element (the
// first rendered output) before the screenshot.
//
// OUT.png is the whole page; OUT-1.png, OUT-2.png, ... are viewport-high slices of it,
// small enough to view one at a time.
import { chromium } from 'playwright-core';
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';

const args = process.argv.slice(2);
const flag = (name) => args.includes(name);
const opt = (name, def) => {
  const i = args.indexOf(name);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : def;
};
const valued = ['--width', '--wait'];
const positional = args.filter((a, i) => !a.startsWith('--') && !(i > 0 && valued.includes(args[i - 1])));
const [input, output = 'screenshot.png'] = positional;
if (!input) {
  console.error('usage: node screenshot.mjs PAGE.html|URL OUT.png [--width 1280] [--dark] [--wait SELECTOR]');
  process.exit(2);
}
const width = Number(opt('--width', '1280'));
const height = 900;

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
    '--disable-component-update', '--no-first-run'],
});
try {
  const page = await browser.newPage({
    viewport: { width, height },
    colorScheme: flag('--dark') ? 'dark' : 'light',
  });
  const url = /^https?:/.test(input) ? input : pathToFileURL(resolve(input)).href;
  await page.goto(url, { waitUntil: 'load', timeout: 60000 });
  const wait = opt('--wait', '');
  if (wait) {
    await page.waitForSelector(wait, { timeout: 120000 });
    await page.waitForTimeout(2000); // let the rest of the outputs lay out
  }
  const found = await page.evaluate(() => {
    const imgs = [...document.querySelectorAll('img')];
    return {
      title: document.title,
      images: imgs.length,
      broken: imgs.filter((i) => !i.complete || i.naturalWidth === 0).length,
      imageSizes: imgs.map((i) => [i.naturalWidth, i.naturalHeight]),
      tables: document.querySelectorAll('table').length,
      scripts: document.querySelectorAll('.jp-OutputArea script, .output_area script').length,
      height: document.documentElement.scrollHeight,
    };
  });
  await page.screenshot({ path: output, fullPage: true });
  const slices = Math.ceil(found.height / height);
  for (let i = 0; i < slices && i < 40; i++) {
    const h = Math.min(height, found.height - i * height);
    await page.screenshot({
      path: output.replace(/\.png$/, '') + `-${i + 1}.png`,
      fullPage: true,
      clip: { x: 0, y: i * height, width, height: h },
    });
  }
  found.slices = slices;
  console.log(JSON.stringify(found));
  if (found.broken > 0) process.exitCode = 1;
} finally {
  await browser.close();
}
