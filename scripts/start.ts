// `npm start`: the demo sandbox (every emulator on loopback) and Node-RED 4.1 on
// 127.0.0.1:1880 with secflow loaded, its userDir in ./.node-red (git-ignored).
// Ctrl-C stops both.
import path from 'node:path';
import { startSandbox } from './sandbox';
import { PROJECT_ROOT, startNodeRed } from './node-red-runner';

async function main(): Promise<void> {
  const port = Number(process.env.PORT ?? 1880);
  console.log('secflow: starting the demo sandbox…');
  const sandbox = await startSandbox();
  const userDir = path.join(PROJECT_ROOT, '.node-red');
  console.log(`secflow: starting Node-RED (userDir ${userDir})…`);
  const nodeRed = await startNodeRed({ userDir, port, echo: true });
  console.log(`\nsecflow is ready: open ${nodeRed.url}/ in a browser.`);
  console.log('Import an example from the menu: Import → Examples → node-red-contrib-secflow → flows → …; syslog the examples send is at http://127.0.0.1:18460/__emulator/syslog. Ctrl-C stops everything.\n');

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    // Exit even if a peer is slow to close its connections.
    setTimeout(() => process.exit(0), 5000).unref();
    await nodeRed.stop();
    await sandbox.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
  nodeRed.child.once('exit', () => void stop());
}

main().catch((err: unknown) => {
  console.error(`secflow: ${(err as Error).message}`);
  process.exit(1);
});
