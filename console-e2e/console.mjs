// Berth's web console in a real browser: Debian's Chromium driven by playwright-core.
// Environment: BERTH_URL (http://127.0.0.1:PORT), BERTH_KEY, BERTH_SECRET, SHOTS (screenshot directory),
// IMAGE_REPO (a repository skopeo pushed IMAGE_TAG to), SCAN_REPO (a repository whose image has findings),
// FINDING (a vulnerability ID that must be listed), IAM_ACCOUNT / IAM_USER / IAM_PASSWORD (an IAM user with a
// console password and a policy allowing ecr:*), REPLICATION_DEST (the "region / registry" of a replication rule). Prints one "PASS id what" or "FAIL id what: detail" per check;
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

// Clicks a form's submit button and waits for the page the POST redirects to (303, then a GET of a document).
async function submit(page, name) {
  await Promise.all([
    page.waitForResponse(r => r.request().method() === 'GET' && r.request().resourceType() === 'document'),
    page.getByRole('button', { name, exact: true }).click(),
  ]);
  await page.waitForLoadState();
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

  // ---- an IAM user signs in with its console password (berth admin set-console-password) ----
  const user = await (await browser.newContext()).newPage();
  user.setDefaultTimeout(15000);
  const editedRepo = created;
  await step('console-password-signin', 'an IAM user signs in with account, user name and console password', async () => {
    await user.goto(base + '/console/signin');
    await user.getByLabel('Account ID').fill(env('IAM_ACCOUNT'));
    await user.getByLabel('User name').fill(env('IAM_USER'));
    await user.getByLabel('Password', { exact: true }).fill(env('IAM_PASSWORD'));
    await Promise.all([user.waitForURL('**/console/repositories'), user.getByLabel('Password', { exact: true }).press('Enter')]);
    const who = await user.locator('header').innerText();
    if (!who.includes(`user/${env('IAM_USER')}`)) throw new Error(who.slice(0, 200));
  });
  await step('console-policy-invalid', 'the repository policy editor refuses an invalid policy with the API\'s message', async () => {
    await user.goto(base + '/console/repository-policy?repository=' + encodeURIComponent(editedRepo));
    await user.getByLabel('Repository policy (JSON)').fill('{"Version":"2012-10-17","Statement":[{"Effect":"Maybe","Principal":"*","Action":"ecr:BatchGetImage"}]}');
    await user.getByRole('button', { name: 'Save', exact: true }).click();
    const alert = await user.locator('[role=alert]').innerText();
    if (!/Invalid parameter|Effect/i.test(alert)) throw new Error(alert.slice(0, 200));
    if (!(await user.getByLabel('Repository policy (JSON)').inputValue()).includes('Maybe')) throw new Error('the edit was lost');
  });
  await labelled('console-policy-labels', user, 'repository policy');
  await step('console-policy-valid', 'a valid repository policy is saved and shown', async () => {
    const policy = '{"Version":"2012-10-17","Statement":[{"Sid":"pull","Effect":"Allow","Principal":"*","Action":"ecr:BatchGetImage"}]}';
    await user.getByLabel('Repository policy (JSON)').fill(policy);
    await user.getByLabel(/force/).check(); // the user's own access comes from its identity policy
    await submit(user, 'Save');
    if (await user.locator('[role=alert]').count()) throw new Error(await user.locator('[role=alert]').innerText());
    await user.screenshot({ path: `${shots}/console-policy.png`, fullPage: true });
    return (await user.getByLabel('Repository policy (JSON)').inputValue()).includes('"Sid":"pull"');
  });
  await step('console-settings', 'edit tag mutability, scan on push and tags on the settings page', async () => {
    await user.goto(base + '/console/settings?repository=' + encodeURIComponent(editedRepo));
    await user.getByLabel('Tag mutability').selectOption('IMMUTABLE_WITH_EXCLUSION');
    await user.getByLabel(/Exclusion filters/).fill('latest');
    await submit(user, 'Save tag mutability');
    await user.getByLabel('Scan on push').check();
    await submit(user, 'Save scanning');
    await user.getByLabel(/^Tags/).fill('team=console');
    await submit(user, 'Save tags');
    await user.screenshot({ path: `${shots}/console-settings.png`, fullPage: true });
    const mode = await user.getByLabel('Tag mutability').inputValue();
    const tags = await user.getByLabel(/^Tags/).inputValue();
    if (mode !== 'IMMUTABLE_WITH_EXCLUSION' || !(await user.getByLabel('Scan on push').isChecked()) || tags !== 'team=console') {
      throw new Error(`${mode} ${tags}`);
    }
    return (await user.locator('main').innerText()).includes('cannot change'); // encryption is read-only
  });
  await labelled('console-settings-labels', user, 'settings');
  await step('console-paging', 'page through more than 200 repositories with Next and Previous', async () => {
    await user.goto(base + '/console/repositories');
    const csrf = await user.locator('input[name=csrf]').first().inputValue();
    for (let i = 0; i < 205; i++) {
      const r = await user.request.post(base + '/console/repositories', {
        form: { csrf, name: `interop/paged/r${String(i).padStart(3, '0')}`, mutability: 'MUTABLE' },
        maxRedirects: 0,
      });
      if (r.status() !== 303 && !(await r.text()).includes('already exists')) throw new Error(`create ${i}: ${r.status()}`);
    }
    await user.goto(base + '/console/repositories?q=interop/paged/');
    const rows = async () => user.locator('tbody tr').count();
    if (await rows() !== 200) throw new Error(`first page: ${await rows()} rows`);
    await user.getByRole('link', { name: 'Next page' }).click();
    await user.waitForURL('**after=*');
    const second = await user.locator('tbody').innerText();
    if (await rows() !== 5 || !second.includes('interop/paged/r204')) throw new Error(`second page: ${second.slice(0, 200)}`);
    await user.getByRole('link', { name: 'Previous page' }).click();
    await user.waitForURL('**before=*');
    const back = await user.locator('tbody').innerText();
    if (await rows() !== 200 || !back.includes('interop/paged/r000')) throw new Error(`back: ${await rows()} rows`);
  });
  await step('console-replication', 'the replication page lists the registry\'s rules', async () => {
    await user.getByRole('link', { name: 'Replication' }).click();
    await user.waitForURL('**/console/replication');
    await user.screenshot({ path: `${shots}/console-replication.png`, fullPage: true });
    const text = await user.locator('table').innerText();
    if (!text.includes(env('REPLICATION_DEST', 'us-west-2 / 111122223333'))) throw new Error(text.slice(0, 200));
  });
  await step('console-nav-keyboard', 'the main navigation is reachable by keyboard', async () => {
    await user.locator('body').focus();
    await user.keyboard.press('Tab');
    return (await user.evaluate(() => document.activeElement?.textContent)) === 'Repositories';
  });
} finally {
  await browser.close();
}
