// Opens a notebook in a running Jupyter front end (JupyterLab 4, Notebook 7 or the classic
// Notebook 6) in Debian's Chromium, runs every cell with the kql kernel, waits for the
// outputs and reports what the page shows as JSON on stdout, with a screenshot.
//
//   node frontend.mjs lab|notebook7|notebook6 URL OUT.png EXPECTED_OUTPUTS
//
// URL opens the notebook (token included). EXPECTED_OUTPUTS is how many code cells must
// show an output before the page is measured.
import { chromium } from 'playwright-core';

const [flavour, url, out, expected] = process.argv.slice(2);
if (!flavour || !url || !out || !expected) {
  console.error('usage: node frontend.mjs lab|notebook7|notebook6 URL OUT.png EXPECTED_OUTPUTS');
  process.exit(2);
}
const classic = flavour === 'notebook6';
const want = Number(expected);

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
    '--disable-component-update', '--no-first-run', '--disable-dev-shm-usage'],
});
let status = 0;
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 4000 } });
  const consoleErrors = [];
  page.on('pageerror', (e) => consoleErrors.push(String(e)));
  await page.goto(url, { waitUntil: 'load', timeout: 120000 });

  if (classic) {
    await page.waitForFunction(() => window.Jupyter && Jupyter.notebook && Jupyter.notebook.kernel
      && Jupyter.notebook.kernel.is_connected(), null, { timeout: 120000 });
    await page.evaluate(() => Jupyter.notebook.clear_all_output());
    await page.evaluate(() => Jupyter.notebook.execute_all_cells());
  } else {
    // expose_app_in_browser gives window.jupyterapp; wait for the kernel to be idle first.
    await page.waitForFunction(() => {
      const app = window.jupyterapp;
      const w = app && app.shell.currentWidget;
      const s = w && w.sessionContext;
      return s && s.session && s.session.kernel && s.session.kernel.status === 'idle';
    }, null, { timeout: 120000 });
    await page.evaluate(() => window.jupyterapp.commands.execute('notebook:clear-all-cell-outputs'));
    await page.evaluate(() => window.jupyterapp.commands.execute('notebook:run-all-cells'));
  }

  const cellSel = classic ? '.code_cell' : '.jp-CodeCell';
  const outputSel = classic ? '.output_area' : '.jp-OutputArea-child';
  // Every code cell that produces something must show it; the last ones are the slowest.
  await page.waitForFunction(([cells, outs, n]) => Array.from(document.querySelectorAll(cells))
    .filter((c) => c.querySelector(outs)).length >= n, [cellSel, outputSel, want], { timeout: 180000 });
  await page.waitForTimeout(1500);

  const found = await page.evaluate(([outSel, isClassic]) => {
    const q = (s) => Array.from(document.querySelectorAll(s));
    const imgs = q(isClassic ? '.output_area img' : '.jp-OutputArea-output img');
    const codeCells = q(isClassic ? '.code_cell' : '.jp-CodeCell');
    return {
      codeCells: codeCells.length,
      cellsWithOutput: codeCells.filter((c) => c.querySelector(outSel)).length,
      tables: q(isClassic ? '.output_area table' : '.jp-OutputArea-output table').length,
      images: imgs.length,
      imagesLoaded: imgs.filter((i) => i.complete && i.naturalWidth > 0).length,
      errors: q(isClassic ? '.output_error, .output_stderr' : '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]')
        .map((e) => e.innerText.slice(0, 300)),
      doneLines: q(isClassic ? '.output_area' : '.jp-OutputArea-output').filter((e) => /Done \(/.test(e.innerText)).length,
      scripts: q(isClassic ? '.output_area script' : '.jp-OutputArea-output script')
        .map((e) => (e.type || 'script') + ': ' + e.textContent.slice(0, 120)),
    };
  }, [outputSel, classic]);
  found.pageErrors = consoleErrors;
  await page.screenshot({ path: out, fullPage: true });
  console.log(JSON.stringify(found));
} catch (e) {
  console.error(String(e && e.stack || e));
  status = 1;
} finally {
  await browser.close();
}
process.exit(status);
