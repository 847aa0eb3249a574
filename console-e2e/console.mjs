// Berth's web console in a real browser: Debian's Chromium driven by playwright-core.
// Environment: BERTH_URL (http://127.0.0.1:PORT), BERTH_KEY, BERTH_SECRET, SHOTS (screenshot directory),
// IMAGE_REPO (a repository skopeo pushed IMAGE_TAG to), SCAN_REPO (a repository whose image has findings),
// FINDING (a vulnerability ID that must be listed). Prints one "PASS id what" or "FAIL id what: detail" per check;
// ci/interop-console.sh turns them into interop checks. Exit status 0 even on failed checks (they are reported).
import { chromium } from 'playwright-core';

const env = (k, d) => process.env[k] ?? d;
const base = env('BERTH_URL');
const shots = env('SHOTS', '.');
const imageRepo = env('IMAGE_REPO', 'interop/console');
const imageTag = env('IMAGE_TAG', '1.0');
const scanRepo = env('SCAN_REPO', 'interop/scan');
const finding = env('FINDING', 'DSA-5343-1');
const created = 'interop/console-created';

function report(ok, id, what, detail) {
  console.log(ok ? `PASS ${id} ${what}` : `FAIL ${id} ${what}: ${String(detail ?? '').replace(/\s+/g, ' ').slice(0, 300)}`);
}

async function step(id, what, fn) {
  try {
    const r = await fn();
    if (r === false) report(false, id, what, 'condition false'); else report(true, id, what);
  } catch (e) {
    report(false, id, what, e.message);
  }
}

// Every visible form control has a label (label[for], a wrapping label or aria-label): what screen readers read.
async function unlabelled(page) {
  return page.$$eval('input:not([type=hidden]), select, textarea', els => els.filter(el => {
    if (el.getAttribute('aria-label')) return false;
    if (el.id && document.querySelector(`label[for="${CSS.escape(el.id)}"]`)) return false;
    return !el.closest('label');
  }).map(el => el.name || el.id || el.outerHTML.slice(0, 60)));
}

async function labelled(id, page, name) {
  await step(id, `every form control on the ${name} page has a label`, async () => {
    const missing = await unlabelled(page);
    if (missing.length) throw new Error('unlabelled: ' + missing.join(', '));
  });
}

const browser = await chromium.launch({
  executablePath: env('CHROMIUM', '/usr/bin/chromium'),
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--no-first-run'],
});
const page = await (await browser.newContext()).newPage();
page.setDefaultTimeout(15000);
try {
  await step('console-signin-page', 'GET /console redirects to the sign-in form', async () => {
    await page.goto(base + '/console');
    return page.url().endsWith('/console/signin');
  });
  await labelled('console-signin-labels', page, 'sign-in');
  await step('console-signin-keyboard', 'sign in with the keyboard only (Tab to each field, Enter submits)', async () => {
    await page.locator('body').focus();
    await page.keyboard.press('Tab');
    if (await page.evaluate(() => document.activeElement?.id) !== 'accessKeyId') throw new Error('first Tab: not the key field');
    await page.keyboard.type(env('BERTH_KEY'));
    await page.keyboard.press('Tab');
    if (await page.evaluate(() => document.activeElement?.id) !== 'secret') throw new Error('second Tab: not the secret field');
    await page.keyboard.type(env('BERTH_SECRET'));
    await page.screenshot({ path: `${shots}/console-signin.png`, fullPage: true });
    await Promise.all([page.waitForURL('**/console/repositories'), page.keyboard.press('Enter')]);
    return (await page.locator('h1').innerText()) === 'Repositories';
  });
  await labelled('console-repositories-labels', page, 'repositories');

  await step('console-create', `create repository ${created} with the form`, async () => {
    await page.getByLabel('Repository name').fill(created);
    await page.getByLabel('Tag mutability').selectOption('IMMUTABLE');
    await page.getByRole('button', { name: 'Create repository' }).click();
    await page.waitForURL('**/console/repository?name=*');
    const text = await page.locator('main').innerText();
    if (!text.includes(`Repository ${created}`) || !text.includes('IMMUTABLE')) throw new Error(text.slice(0, 200));
  });
  await step('console-search', 'the search finds the new repository', async () => {
    await page.goto(base + '/console/repositories');
    await page.getByLabel('Search repositories').fill('console-created');
    await page.getByRole('button', { name: 'Search' }).click();
    return (await page.locator('table').innerText()).includes(created);
  });

  await step('console-image', `see the image skopeo pushed as ${imageRepo}:${imageTag}`, async () => {
    await page.goto(base + '/console/repository?name=' + encodeURIComponent(imageRepo));
    const row = page.locator('tr', { hasText: imageTag }).first();
    await row.waitFor();
    await page.screenshot({ path: `${shots}/console-repository.png`, fullPage: true });
    await row.getByRole('link').first().click();
    await page.waitForURL('**/console/image?*');
    const pull = await page.getByLabel('docker pull').inputValue();
    if (!pull.startsWith('docker pull ') || !pull.includes(`/${imageRepo}@sha256:`)) throw new Error(pull);
  });

  await step('console-lifecycle-preview', 'edit a lifecycle policy and preview it before saving', async () => {
    await page.goto(base + '/console/lifecycle?repository=' + encodeURIComponent(imageRepo));
    await page.getByLabel('Lifecycle policy (JSON)').fill(JSON.stringify({ rules: [{ rulePriority: 1,
      description: 'keep none', selection: { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: 1 },
      action: { type: 'expire' } }] }));
    await page.getByRole('button', { name: 'Preview' }).click();
    for (let i = 0; i < 60; i++) {
      const status = await page.locator('#preview-status').innerText().catch(() => '');
      if (status === 'COMPLETE') break;
      await page.waitForTimeout(500);
      await page.reload();
    }
    await page.screenshot({ path: `${shots}/console-lifecycle.png`, fullPage: true });
    const text = await page.locator('main').innerText();
    if (!text.includes('COMPLETE') || !/\d+ image\(s\) would expire/.test(text)) throw new Error(text.slice(0, 300));
  });
  await labelled('console-lifecycle-labels', page, 'lifecycle');
  await step('console-lifecycle-invalid', 'an invalid policy is refused with a message, and keyboard focus reaches Save', async () => {
    await page.getByLabel('Lifecycle policy (JSON)').fill('{"rules": "not a list"}');
    await page.getByLabel('Lifecycle policy (JSON)').focus();
    await page.keyboard.press('Tab'); // Preview
    await page.keyboard.press('Tab'); // Save
    if (await page.evaluate(() => document.activeElement?.textContent) !== 'Save') throw new Error('Tab did not reach Save');
    await Promise.all([page.waitForLoadState(), page.keyboard.press('Enter')]);
    await page.locator('[role=alert]').waitFor();
    return (await page.getByLabel('Lifecycle policy (JSON)').inputValue()).includes('not a list');
  });

  await step('console-findings', `read the findings of ${scanRepo} (${finding})`, async () => {
    await page.goto(base + '/console/repository?name=' + encodeURIComponent(scanRepo));
    // the row of the tagged image (its SBOM, a referrer, is an untagged row of the same repository)
    await page.locator('tbody tr').filter({ has: page.locator('td:first-child', { hasText: /^11$/ }) })
      .getByRole('link').first().click();
    await page.waitForURL('**/console/image?*');
    const text = await page.locator('main').innerText();
    await page.screenshot({ path: `${shots}/console-findings.png`, fullPage: true });
    if (!text.includes(finding) || !/Installed/.test(text) || !/Fixed in/.test(text)) throw new Error(text.slice(0, 300));
    if (!/application\/(spdx|vnd\.cyclonedx)/i.test(text) && !text.includes('sbom')) {
      throw new Error('no SBOM among the referrers: ' + text.slice(0, 300));
    }
  });

  await step('console-audit', 'the audit trail lists the ConsoleLogin', async () => {
    await page.goto(base + '/console/audit');
    await page.getByLabel('Event name').fill('ConsoleLogin');
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.screenshot({ path: `${shots}/console-audit.png`, fullPage: true });
    return (await page.locator('table').innerText()).includes('ConsoleLogin');
  });
  await labelled('console-audit-labels', page, 'audit');
} finally {
  await browser.close();
}
