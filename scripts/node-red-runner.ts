// Starts a real Node-RED (the pinned devDependency) as a child process with a
// userDir of its own, secflow installed into it as a linked module (the way
// `npm install /path/to/secflow` would), a `file` context store beside the default
// memory store (write-through, no cache), and telemetry and tours off. Used by `npm start` and the e2e suite.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export const PROJECT_ROOT = path.resolve(__dirname, '..');

export interface NodeRedOptions {
  userDir: string;
  port: number;
  host?: string;
  /** Echo Node-RED's output to this process's stdout. */
  echo?: boolean;
  /** Node-RED log level (default info). */
  logLevel?: string;
  /**
   * How secflow gets into the userDir: `linked` (default) links this checkout;
   * `installed` means the caller installed it (e.g. from the packed tarball).
   */
  secflow?: 'linked' | 'installed';
  /** More settings.js properties (JSON-serialisable), e.g. adminAuth. */
  settings?: Record<string, unknown>;
}

export interface NodeRedInstance {
  url: string;
  userDir: string;
  child: ChildProcess;
  /** Everything Node-RED printed so far, line by line. */
  output: string[];
  stop(): Promise<void>;
}

/** Prepares the userDir: settings.js and, unless secflow is installed there, package.json and the link to this package. */
export function prepareUserDir(options: NodeRedOptions): string {
  const { userDir } = options;
  fs.mkdirSync(path.join(userDir, 'node_modules'), { recursive: true });
  const settingsFile = path.join(userDir, 'settings.js');
  const settings = `// Written by scripts/node-red-runner.ts: secflow's development Node-RED.
module.exports = {
  uiHost: ${JSON.stringify(options.host ?? '127.0.0.1')},
  uiPort: ${options.port},
  flowFile: 'flows.json',
  userDir: ${JSON.stringify(userDir)},
  contextStorage: {
    default: { module: 'memory' },
    // Write-through: each cursor save is on disk (written to a temporary file and
    // renamed) before the extractor moves on, so a crash or SIGKILL loses no progress.
    file: { module: 'localfilesystem', config: { cache: false } },
  },
  telemetry: { enabled: false },
  diagnostics: { enabled: false },
  editorTheme: { tours: false, projects: { enabled: false } },
  externalModules: { autoInstall: false, palette: { allowInstall: false } },
  logging: { console: { level: ${JSON.stringify(options.logLevel ?? 'info')}, metrics: false, audit: false } },
  functionExternalModules: false,${Object.entries(options.settings ?? {}).map(([k, v]) => `\n  ${JSON.stringify(k)}: ${JSON.stringify(v)},`).join('')}
};
`;
  fs.writeFileSync(settingsFile, settings);
  if (options.secflow === 'installed') return settingsFile;
  const pkgFile = path.join(userDir, 'package.json');
  fs.writeFileSync(pkgFile, JSON.stringify({ name: 'secflow-node-red-userdir', private: true, dependencies: { 'node-red-contrib-secflow': `file:${PROJECT_ROOT}` } }, null, 2));
  const link = path.join(userDir, 'node_modules', 'node-red-contrib-secflow');
  fs.rmSync(link, { recursive: true, force: true });
  fs.symlinkSync(PROJECT_ROOT, link, 'dir');
  return settingsFile;
}

export async function startNodeRed(options: NodeRedOptions): Promise<NodeRedInstance> {
  if (options.secflow !== 'installed' && !fs.existsSync(path.join(PROJECT_ROOT, 'dist', 'nodes'))) throw new Error('dist/ is missing: run `npm run build` first');
  const settingsFile = prepareUserDir(options);
  const host = options.host ?? '127.0.0.1';
  const url = `http://${host}:${options.port}`;
  const child = spawn(process.execPath, [require.resolve('node-red/red.js'), '--userDir', options.userDir, '--settings', settingsFile, '--port', String(options.port)], {
    cwd: options.userDir,
    env: { ...process.env, NODE_RED_ENABLE_PROJECTS: 'false' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  let pending = '';
  const onData = (chunk: Buffer) => {
    if (options.echo) process.stdout.write(chunk);
    pending += chunk.toString('utf8');
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    output.push(...lines);
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

  const deadline = Date.now() + 60_000;
  for (;;) {
    const early = await Promise.race([exited, new Promise((r) => setTimeout(() => r('wait'), 250))]);
    if (early !== 'wait') throw new Error(`Node-RED exited with code ${String(early)}:\n${output.slice(-30).join('\n')}`);
    try {
      const res = await fetch(`${url}/settings`, { headers: { Accept: 'application/json' } });
      // 401: up, with adminAuth on.
      if (res.ok || res.status === 401) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`Node-RED did not start within 60 s:\n${output.slice(-30).join('\n')}`);
    }
  }

  return {
    url,
    userDir: options.userDir,
    child,
    output,
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGINT');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
