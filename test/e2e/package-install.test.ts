// The package as a user gets it: `npm pack` (its prepack builds dist/), the
// tarball installed into a plain Node-RED userDir from the local npm cache with
// `--offline` (no network), Node-RED loading every secflow type from it, and the
// package's `main` loading secflow's library in plain Node, without Node-RED.
//
// Offline install: npm needs registry metadata to resolve version ranges, and the
// cache only holds the tarballs `npm install` fetched for this checkout. So the
// userDir gets a lockfile naming the exact versions (and integrity) of secflow's
// runtime dependencies, taken from this project's package-lock.json; npm then
// reads each tarball from the cache by its integrity.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { PROJECT_ROOT, startNodeRed, type NodeRedInstance } from '../../scripts/node-red-runner';
import { freePort } from '../support/free-port';

const run = promisify(execFile);
const MODULE = 'node-red-contrib-secflow';
const pkg = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as {
  version: string; license: string; main: string; types: string; dependencies: Record<string, string>; engines: Record<string, string>;
  'node-red': { nodes: Record<string, string> };
};
const TYPES = Object.keys(pkg['node-red'].nodes).sort();
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';

let work: string;
let tarball: string;
let userDir: string;
let nodeRed: NodeRedInstance | undefined;

/** package.json and package-lock.json for a userDir that depends on the tarball only. */
function writeUserDirManifest(dir: string, tarballSpec: string): void {
  const lock = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, { dev?: boolean }> };
  const packages: Record<string, unknown> = {
    '': { name: 'secflow-userdir', dependencies: { [MODULE]: tarballSpec } },
    [`node_modules/${MODULE}`]: { version: pkg.version, resolved: tarballSpec, license: pkg.license, dependencies: pkg.dependencies, engines: pkg.engines },
  };
  // The runtime dependencies, where this project's install put them (hoisted alike).
  for (const [key, entry] of Object.entries(lock.packages)) if (key && !entry.dev) packages[key] = entry;
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'secflow-userdir', private: true, dependencies: { [MODULE]: tarballSpec } }, null, 2));
  fs.writeFileSync(path.join(dir, 'package-lock.json'), JSON.stringify({ name: 'secflow-userdir', lockfileVersion: 3, requires: true, packages }, null, 2));
}

before(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'secflow-pack-'));
  const packed = await run(NPM, ['pack', '--json', '--pack-destination', work], { cwd: PROJECT_ROOT, maxBuffer: 64 * 1024 * 1024 });
  const [info] = JSON.parse(packed.stdout.slice(packed.stdout.indexOf('['))) as Array<{ filename: string; files: Array<{ path: string }> }>;
  tarball = path.join(work, info.filename);
  userDir = path.join(work, 'userdir');
  fs.mkdirSync(userDir);
  writeUserDirManifest(userDir, `file:../${info.filename}`);
  try {
    await run(NPM, ['install', '--offline', '--no-audit', '--no-fund', '--ignore-scripts'], { cwd: userDir, maxBuffer: 64 * 1024 * 1024 });
  } catch (err) {
    const { stderr } = err as { stderr?: string };
    throw new Error(`npm install --offline of the tarball failed (does the npm cache hold the dependencies? run npm install in the checkout first):\n${stderr ?? String(err)}`, { cause: err });
  }
});

after(async () => {
  await nodeRed?.stop();
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

describe('the packed package', () => {
  test('the tarball holds the built nodes, their editor files, the library and the examples, and no sources or tests', async () => {
    const { stdout } = await run('tar', ['-tzf', tarball]);
    const files = new Set(stdout.split('\n').filter(Boolean).map((f) => f.replace(/^package\//, '')));
    const missing = [pkg.main, pkg.types, 'README.md', ...TYPES.flatMap((t) => [pkg['node-red'].nodes[t], `dist/nodes/${t}.html`]), 'dist/plugins/secflow-metrics.js', 'dist/plugins/secflow-metrics.html'].filter((f) => !files.has(f));
    assert.deepEqual(missing, []);
    assert.ok([...files].some((f) => f.startsWith('examples/flows/') && f.endsWith('.json')), 'examples are packed');
    assert.deepEqual([...files].filter((f) => /^(src|test|scripts|bench)\//.test(f) || f.includes('node_modules/')), []);
  });

  test('main loads the library in plain Node, without Node-RED', async () => {
    const script = `
      const lib = require(${JSON.stringify(MODULE)});
      const tree = lib.proctree.buildProcessTree([{ EventType: 'SYSCALL_EXECVE', pid: 2, ppid: 1, exe: '/bin/sh', TimeGenerated: '2024-05-01T00:00:00Z' }], { schema: lib.proctree.LX_SCHEMA });
      const loaded = Object.keys(require.cache);
      console.log(JSON.stringify({
        areas: Object.keys(lib).sort(),
        processes: tree.summary.Processes,
        nodeRed: loaded.filter((f) => /[\\\\/]node-red[\\\\/]|@node-red/.test(f)),
        from: require.resolve(${JSON.stringify(MODULE)}),
      }));`;
    const { stdout } = await run(process.execPath, ['-e', script], { cwd: userDir });
    const result = JSON.parse(stdout) as { areas: string[]; processes: number; nodeRed: string[]; from: string };
    assert.deepEqual(result.areas, ['auditd', 'carbonblack', 'cef', 'cluster', 'code42', 'cursor', 'http', 'ioc', 'linux', 'metrics', 'mozdef', 'notify', 'proctree', 'syslog']);
    assert.equal(result.processes, 2, 'the library works: a process and its inferred parent');
    assert.deepEqual(result.nodeRed, []);
    assert.equal(result.from, path.join(fs.realpathSync(userDir), 'node_modules', MODULE, pkg.main));
    assert.ok(fs.existsSync(path.join(userDir, 'node_modules', MODULE, pkg.types)), 'type declarations are installed');
  });

  test('Node-RED loads every secflow type from the installed tarball (GET /nodes)', async () => {
    nodeRed = await startNodeRed({ userDir, port: await freePort(), secflow: 'installed' });
    const res = await fetch(`${nodeRed.url}/nodes`, { headers: { Accept: 'application/json' } });
    assert.equal(res.status, 200);
    const sets = ((await res.json()) as Array<{ module: string; version: string; types: string[]; err?: string; enabled: boolean; id: string }>).filter((s) => s.module === MODULE);
    assert.ok(sets.length > 0, `${MODULE} is not loaded:\n${nodeRed.output.filter((l) => /error|warn/i.test(l)).join('\n')}`);
    for (const set of sets) {
      assert.equal(set.err, undefined, `${set.id} failed to load: ${set.err}`);
      assert.equal(set.enabled, true);
      assert.equal(set.version, pkg.version);
    }
    assert.deepEqual(sets.flatMap((s) => s.types).sort(), TYPES);
    assert.ok(!fs.lstatSync(path.join(userDir, 'node_modules', MODULE)).isSymbolicLink(), 'installed, not linked');
  });
});
