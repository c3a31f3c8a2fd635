// Test certificates made with the openssl CLI: a CA, a server certificate for
// 127.0.0.1/localhost signed by it, a client certificate signed by it, and an
// unrelated second CA (to prove that an unknown issuer is refused).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface CertFiles {
  certFile: string;
  keyFile: string;
  /** PEM text of the certificate and of its private key. */
  cert: string;
  key: string;
}

export interface TestCerts {
  dir: string;
  ca: CertFiles;
  /** Signed by `ca`; SAN IP:127.0.0.1, DNS:localhost; serverAuth. */
  server: CertFiles;
  /** Signed by `ca`; clientAuth (for mutual TLS). */
  client: CertFiles;
  /** A second CA that signed nothing here. */
  otherCa: CertFiles;
  /** An OpenSSL hashed CA directory holding `ca` (for syslog-ng's ca-dir(), to verify client certificates). */
  caDir: string;
  /** Removes the directory. */
  cleanup(): void;
}

function openssl(dir: string, args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
}

function files(dir: string, name: string): CertFiles {
  const certFile = path.join(dir, `${name}.crt`);
  const keyFile = path.join(dir, `${name}.key`);
  return { certFile, keyFile, cert: fs.readFileSync(certFile, 'utf8'), key: fs.readFileSync(keyFile, 'utf8') };
}

// P-256 keys: as good as RSA for the tests and generated in milliseconds.
const KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

function makeCa(dir: string, name: string, cn: string): void {
  openssl(dir, ['req', '-x509', ...KEY, '-keyout', `${name}.key`, '-out', `${name}.crt`, '-days', '3', '-subj', `/CN=${cn}`,
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign']);
}

function makeLeaf(dir: string, name: string, cn: string, extensions: string): void {
  fs.writeFileSync(path.join(dir, `${name}.ext`), extensions);
  openssl(dir, ['req', ...KEY, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${cn}`]);
  openssl(dir, ['x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', `${name}.crt`, '-days', '3', '-extfile', `${name}.ext`]);
}

/** Generates a fresh set into a new temp directory (a few hundred ms). */
export function makeTestCerts(): TestCerts {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'secflow-certs-'));
  makeCa(dir, 'ca', 'secflow test CA');
  makeCa(dir, 'other-ca', 'unrelated test CA');
  makeLeaf(dir, 'server', 'localhost', [
    'basicConstraints=CA:FALSE',
    'keyUsage=critical,digitalSignature,keyEncipherment',
    'extendedKeyUsage=serverAuth',
    'subjectAltName=IP:127.0.0.1,DNS:localhost',
    '',
  ].join('\n'));
  makeLeaf(dir, 'client', 'secflow test client', ['basicConstraints=CA:FALSE', 'keyUsage=critical,digitalSignature', 'extendedKeyUsage=clientAuth', ''].join('\n'));
  const caDir = path.join(dir, 'ca-dir');
  fs.mkdirSync(caDir);
  const hash = execFileSync('openssl', ['x509', '-hash', '-noout', '-in', path.join(dir, 'ca.crt')], { encoding: 'utf8' }).trim();
  fs.copyFileSync(path.join(dir, 'ca.crt'), path.join(caDir, `${hash}.0`));
  return {
    dir,
    caDir,
    ca: files(dir, 'ca'),
    server: files(dir, 'server'),
    client: files(dir, 'client'),
    otherCa: files(dir, 'other-ca'),
    cleanup: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}
