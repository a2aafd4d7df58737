/**
 * Browser-test harness: a real Guichet (migrated SQLite database in a
 * temporary folder, demo content, daphne serving the built PWA) and Debian's
 * Chromium driven by playwright-core. Packages come from pwa/node_modules.
 */

import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const require = createRequire(path.join(ROOT, 'pwa', 'package.json'));
export const { chromium } = require('playwright-core');
const AXE_SOURCE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const PYTHON = path.join(ROOT, '.venv', 'bin', 'python');
export const ARTIFACTS = path.join(ROOT, 'tests', 'browser', 'artifacts');

export const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

// Servers still running when the test process ends (a crash, a failed hook) are killed.
const children = new Set();
process.on('exit', () => {
  for (const child of children) child.kill('SIGKILL');
});

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function waitForPort(port, child, timeoutMs = 20000) {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const attempt = () => {
      if (child.exitCode !== null) return reject(new Error(`daphne exited with ${child.exitCode}`));
      const socket = net.connect(port, '127.0.0.1');
      socket.once('connect', () => { socket.destroy(); resolve(); });
      socket.once('error', () => {
        socket.destroy();
        if (Date.now() > deadline) reject(new Error(`port ${port} did not open`));
        else setTimeout(attempt, 50);
      });
    };
    attempt();
  });
}

/** A Guichet instance with its own database; `stop()` and `start()` keep the data. */
const TEMPLATES = path.join(os.tmpdir(), 'guichet-browser-databases');

/** A hash of the server's code and data files: a database made from other code is not reused. */
function codeHash() {
  const hash = createHash('sha256');
  const walk = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== '__pycache__' && entry.name !== 'tests') walk(full);
      } else if (/\.(py|json)$/.test(entry.name)) {
        hash.update(path.relative(ROOT, full)).update(fs.readFileSync(full));
      }
    }
  };
  walk(path.join(ROOT, 'api'));
  return hash.digest('hex').slice(0, 24);
}

export class Guichet {
  constructor() {
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'guichet-browser-'));
    this.env = {
      ...process.env,
      GUICHET_ENV: 'test',
      GUICHET_VAR_DIR: this.dir,
      DATABASE_URL: `sqlite:///${path.join(this.dir, 'guichet.sqlite3')}`,
      GUICHET_PWA_DIST: path.join(ROOT, 'pwa', 'dist'),
    };
    delete this.env.REDIS_URL;
    this.port = undefined;
    this.child = undefined;
    this.log = path.join(this.dir, 'daphne.log');
  }

  manage(...args) {
    const result = spawnSync(PYTHON, ['manage.py', ...args], { cwd: ROOT, env: this.env, encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`manage.py ${args.join(' ')} failed:\n${result.stderr}`);
    return result.stdout;
  }

  /** A citizen's or agent's step done through the API in another process (tests/browser/town.py). */
  town(...args) {
    const result = spawnSync(PYTHON, [path.join(ROOT, 'tests', 'browser', 'town.py'), ...args], {
      cwd: ROOT, env: { ...this.env, PYTHONPATH: ROOT }, encoding: 'utf8',
    });
    if (result.status !== 0) throw new Error(`town.py ${args.join(' ')} failed:\n${result.stderr}`);
    return JSON.parse(result.stdout.trim().split('\n').pop());
  }

  async setUp() {
    if (!fs.existsSync(path.join(ROOT, 'pwa', 'dist', 'index.html'))) throw new Error('Build the PWA first (make test does).');
    // Migrating and loading the demo takes half a minute: done once per state of the
    // code, then each test file starts from a copy of that database.
    const template = path.join(TEMPLATES, `${codeHash()}.sqlite3`);
    if (!fs.existsSync(template)) {
      this.manage('migrate', '--noinput', '-v0');
      this.manage('load_demo');
      fs.mkdirSync(TEMPLATES, { recursive: true });
      const partial = `${template}.${process.pid}`;
      fs.copyFileSync(path.join(this.dir, 'guichet.sqlite3'), partial);
      fs.renameSync(partial, template);
    } else {
      fs.copyFileSync(template, path.join(this.dir, 'guichet.sqlite3'));
    }
    this.port ??= await freePort(); // a caller may choose it (e.g. to name it in PUBLIC_URL)
    await this.start();
    return this;
  }

  get url() {
    return `http://127.0.0.1:${this.port}`;
  }

  async start() {
    const out = fs.openSync(this.log, 'a');
    this.child = spawn(PYTHON, ['-m', 'daphne', '-b', '127.0.0.1', '-p', String(this.port), 'api.asgi:application'], {
      cwd: ROOT, env: this.env, stdio: ['ignore', out, out],
    });
    const child = this.child;
    children.add(child);
    child.once('exit', () => children.delete(child));
    await waitForPort(this.port, this.child);
  }

  /** The Procfile's worker beside the server (bulk actions and exports run there); stopped with it. */
  startWorker() {
    const out = fs.openSync(path.join(this.dir, 'worker.log'), 'a');
    const worker = spawn(PYTHON, ['manage.py', 'worker', '--queue-name', '*'], { cwd: ROOT, env: this.env, stdio: ['ignore', out, out] });
    children.add(worker);
    worker.once('exit', () => children.delete(worker));
    this.worker = worker;
  }

  /** Stop the server: SIGTERM, then SIGKILL if it is still there after 5 s. */
  async stop() {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  }

  async tearDown() {
    if (this.worker && this.worker.exitCode === null) {
      const exited = new Promise((resolve) => this.worker.once('exit', resolve));
      this.worker.kill('SIGTERM');
      const timer = setTimeout(() => this.worker.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    }
    await this.stop();
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

/** A fresh Chromium profile; the caller closes the context. */
export async function launch(options = {}) {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'guichet-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
    locale: 'fr-FR',
    ...options,
  });
  const close = context.close.bind(context);
  context.close = async () => { await close(); fs.rmSync(profile, { recursive: true, force: true }); };
  return context;
}

/** Run axe-core on the page: WCAG 2.0/2.1/2.2 A and AA. Returns the violations. */
export async function axeViolations(page) {
  // Evaluated through the DevTools protocol: the app's Content-Security-Policy rightly
  // refuses an injected inline <script>, and the test must not weaken it.
  await page.evaluate(AXE_SOURCE);
  return page.evaluate(async () => {
    const result = await globalThis.axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] },
    });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.target.join(' ')) }));
  });
}

/**
 * The page's headings in reading order, shadow roots included (the app's screens are
 * custom elements): [{ level, text }] of those shown.
 */
export async function headings(page) {
  return page.evaluate(() => {
    const found = [];
    const walk = (node) => {
      for (const child of node.children) {
        if (/^H[1-6]$/.test(child.tagName) && child.getClientRects().length) {
          found.push({ level: Number(child.tagName[1]), text: child.textContent.replace(/\s+/g, ' ').trim() });
        }
        if (child.shadowRoot) walk(child.shadowRoot);
        walk(child);
      }
    };
    walk(document.body);
    return found;
  });
}

/** Headings in order: one h1, first, and no level skipped on the way down (RGAA 9.1). */
export function headingProblems(list) {
  const problems = [];
  if (list[0]?.level !== 1) problems.push(`the first heading is ${JSON.stringify(list[0])}, not an h1`);
  if (list.filter((h) => h.level === 1).length !== 1) problems.push('not exactly one h1');
  list.forEach((h, i) => {
    if (i && h.level > list[i - 1].level + 1) problems.push(`h${list[i - 1].level} "${list[i - 1].text}" then h${h.level} "${h.text}"`);
  });
  return problems;
}

/** Wait until the catalog lists ``count`` procedures; a timeout says so. */
export async function waitForProcedures(page, count, timeout = 30000) {
  try {
    await page.waitForFunction(
      (n) => document.querySelector('guichet-catalog')?.shadowRoot?.querySelectorAll('li.procedure').length === n,
      count,
      { timeout },
    );
  } catch (error) {
    error.message = `waiting for ${count} procedures: ${error.message}`;
    throw error;
  }
}

/** Fills in and sends the app's sign-in form; ``suite`` is where the app goes next (by default, the person's requests). */
export async function signIn(page, url, email, password, suite = '') {
  await page.goto(`${url}/compte/connexion${suite ? `?suite=${suite}` : ''}`);
  await page.getByLabel('Adresse électronique').fill(email);
  await page.getByLabel('Mot de passe', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Se connecter' }).click();
}

export function screenshotPath(name) {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  return path.join(ARTIFACTS, `${name}.png`);
}

/** A screenshot of the whole page as a phone shows it (360×800), the page's size restored after. */
export async function phoneScreenshot(page, name) {
  const size = page.viewportSize();
  await page.setViewportSize({ width: 360, height: 800 });
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
  await page.screenshot({ path: screenshotPath(name), fullPage: true });
  if (size) await page.setViewportSize(size);
}
