// Loads secflow nodes into node-red-node-test-helper with real context stores.
// The helper never loads context stores itself (a `file` store would silently
// fall back to memory), so this initialises them after every load.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const helper: any = require('node-red-node-test-helper');
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const Context: any = require('@node-red/runtime/lib/nodes/context');

helper.init(require.resolve('node-red'));

// The helper's node API lacks `RED.hooks` (its mock runtime has none): hand the nodes
// the runtime's real message hooks, the ones its flows trigger.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const registryUtil: any = helper._registryUtil;
const initRegistryUtil = registryUtil.init.bind(registryUtil);
registryUtil.init = (runtime: object) => initRegistryUtil(Object.assign(Object.create(runtime), { hooks: require('@node-red/util').hooks }));

export type NodeModule = (RED: unknown) => void;
export type FlowNode = Record<string, unknown> & { id: string; type: string };

export interface LoadOptions {
  /** Directory for the `file` (localfilesystem) store; kept across loads to test restarts. */
  contextDir?: string;
  /** Write-through (no cache) so a crash after a save keeps the value. Default true. */
  writeThrough?: boolean;
}

export function tempDir(prefix = 'secflow-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/**
 * Loads a flow with the `default` (memory) and `file` (localfilesystem) stores,
 * both really initialised. Returns the context directory in use.
 */
export async function loadFlow(nodes: NodeModule | NodeModule[], flow: FlowNode[], credentials: Record<string, unknown> = {}, options: LoadOptions = {}): Promise<string> {
  const contextDir = options.contextDir ?? tempDir();
  const contextStorage = {
    default: { module: 'memory' },
    file: { module: 'localfilesystem', config: { dir: contextDir, cache: options.writeThrough === false, flushInterval: 1 } },
  };
  helper.settings({ userDir: contextDir, contextStorage });
  await helper.load(nodes, flow, credentials);
  Context.init({ contextStorage, userDir: contextDir });
  await Context.load();
  return contextDir;
}

/** Stops the flow and closes the context stores (flushing them), as a Node-RED shutdown does. */
export async function unloadFlow(): Promise<void> {
  await helper.unload();
  await Context.close();
}

/** Collects messages a node sends on each output (via a helper node wired to it). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function collect(node: any): { messages: Array<Record<string, unknown>>; waitFor(count: number, timeoutMs?: number): Promise<Array<Record<string, unknown>>> } {
  const messages: Array<Record<string, unknown>> = [];
  const waiters: Array<{ count: number; resolve: () => void }> = [];
  node.on('input', (msg: Record<string, unknown>) => {
    messages.push(msg);
    for (const w of waiters.filter((w) => messages.length >= w.count)) w.resolve();
  });
  return {
    messages,
    waitFor(count: number, timeoutMs = 30_000) {
      if (messages.length >= count) return Promise.resolve(messages);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`expected ${count} messages, got ${messages.length} within ${timeoutMs} ms`)), timeoutMs);
        waiters.push({ count, resolve: () => { clearTimeout(timer); resolve(messages); } });
      });
    },
  };
}

/**
 * Resolves with the next error a node reports through node.error(err, msg) — what a
 * Catch node receives — as {message, msg}.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function nextError(node: any, timeoutMs = 10_000): Promise<{ message: string; msg: Record<string, unknown> | undefined }> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no error reported by ${node.type} within ${timeoutMs} ms`)), timeoutMs);
    node.on('call:error', (call: { args: unknown[] }) => {
      clearTimeout(timer);
      const [err, msg] = call.args as [unknown, Record<string, unknown> | undefined];
      resolve({ message: err instanceof Error ? err.message : String(err), msg });
    });
  });
}
