// RELP (the Reliable Event Logging Protocol, as rsyslog's imrelp and librelp speak it)
// over the TCP/TLS connection handling of StreamTransport. A message completes only
// when the peer acknowledges its transaction ("rsp" with status 200); on a broken
// connection every unacknowledged message is sent again on the next one.
//
// Frames: TXNR SP COMMAND SP DATALEN [SP DATA] LF, TXNR 1…999,999,999 (then 1 again),
// DATALEN the octets of DATA (0: no SP and no DATA). A session opens with an "open"
// offer the server answers; "serverclose" (TXNR 0) is the server going away.
import type net from 'node:net';
import { StreamTransport, type Pending } from './stream-transport';

const MAX_TXNR = 999_999_999;
/** Messages sent and not yet acknowledged (librelp's default window is 128). */
const WINDOW = 128;
/** A response or server command longer than this is not RELP. */
const MAX_FRAME = 128 * 1024;
const OFFER = 'relp_version=0\nrelp_software=node-red-contrib-secflow\ncommands=syslog';

export interface RelpFrame {
  txnr: number;
  command: string;
  data: Buffer;
}

/** Encodes one frame. */
export function relpFrame(txnr: number, command: string, data: Buffer): Buffer {
  const head = data.length === 0 ? `${txnr} ${command} 0` : `${txnr} ${command} ${data.length} `;
  return Buffer.concat([Buffer.from(head, 'ascii'), data, Buffer.from('\n', 'ascii')]);
}

/**
 * Splits a byte stream into frames. Linear: each byte is looked at a bounded number of
 * times; throws on anything that is not a RELP frame.
 */
export class RelpParser {
  private buffer: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): RelpFrame[] {
    this.buffer = this.buffer.length ? Buffer.concat([this.buffer, chunk]) : chunk;
    const frames: RelpFrame[] = [];
    for (;;) {
      const frame = this.next();
      if (!frame) break;
      frames.push(frame);
    }
    return frames;
  }

  private next(): RelpFrame | undefined {
    const b = this.buffer;
    // The header is at most "999999999 serverclose 999999999 " long.
    const headEnd = Math.min(b.length, 64);
    const sp1 = b.indexOf(0x20);
    if (sp1 < 0 || sp1 >= headEnd) return this.incomplete(b.length < 64);
    const sp2 = b.indexOf(0x20, sp1 + 1);
    if (sp2 < 0 || sp2 >= headEnd) return this.incomplete(b.length < 64);
    const txnrText = b.toString('ascii', 0, sp1);
    const command = b.toString('ascii', sp1 + 1, sp2);
    if (!/^\d{1,9}$/.test(txnrText) || !/^[a-z]{1,32}$/.test(command)) throw new Error(`not a RELP frame: ${JSON.stringify(b.toString('latin1', 0, headEnd))}`);
    let i = sp2 + 1;
    while (i < b.length && i < sp2 + 11 && b[i] >= 0x30 && b[i] <= 0x39) i++;
    if (i >= b.length) return this.incomplete(true);
    const lenText = b.toString('ascii', sp2 + 1, i);
    const len = Number(lenText);
    if (lenText === '' || len > MAX_FRAME) throw new Error(`RELP frame with a bad DATALEN: ${JSON.stringify(lenText)}`);
    let start = i;
    if (len > 0) {
      if (b[i] !== 0x20) throw new Error('RELP frame without a space before its data');
      start = i + 1;
    }
    if (b.length < start + len + 1) return undefined;
    if (b[start + len] !== 0x0a) throw new Error('RELP frame without its trailing LF');
    const data = b.subarray(start, start + len);
    this.buffer = b.subarray(start + len + 1);
    return { txnr: Number(txnrText), command, data };
  }

  private incomplete(mayGrow: boolean): undefined {
    if (!mayGrow) throw new Error(`not a RELP frame: ${JSON.stringify(this.buffer.toString('latin1', 0, 64))}`);
    return undefined;
  }
}

interface Session {
  socket: net.Socket;
  parser: RelpParser;
  nextTxnr: number;
  /** Transactions sent and not answered yet. */
  waiting: Map<number, (frame: RelpFrame) => void>;
}

export class RelpTransport extends StreamTransport {
  private session?: Session;

  /** Acknowledged messages were received: nothing to send again. */
  protected override get replayWindow(): number {
    return 0;
  }

  protected override canWrite(): boolean {
    return this.unsettledCount < WINDOW;
  }

  protected override handshake(socket: net.Socket): Promise<void> {
    const session: Session = { socket, parser: new RelpParser(), nextTxnr: 1, waiting: new Map() };
    this.session = session;
    return new Promise<void>((resolve, reject) => {
      this.command(session, 'open', Buffer.from(OFFER, 'ascii'), (rsp) => {
        const text = rsp.data.toString('utf8');
        if (!/^200\b/.test(text)) return reject(new Error(`RELP peer refused the session: ${firstLine(text)}`));
        if (!/(^|\n)commands=([^\n]*,)?syslog(,|\n|$)/.test(text)) return reject(new Error('RELP peer does not accept the syslog command'));
        resolve();
      });
    });
  }

  protected override encode(pending: Pending): Buffer {
    const session = this.session!;
    const txnr = this.take(session);
    session.waiting.set(txnr, (rsp) => {
      if (pending.socket !== session.socket) return;
      const text = rsp.data.toString('utf8');
      if (/^200\b/.test(text)) this.complete(pending);
      else this.refuse(pending, new Error(`RELP peer ${this.where} refused the message: ${firstLine(text)}`));
    });
    return relpFrame(txnr, 'syslog', pending.frame);
  }

  /** Written to the kernel: the acknowledgement decides. */
  protected override written(): void {}

  protected override received(socket: net.Socket, chunk: Buffer): void {
    const session = this.session;
    if (!session || session.socket !== socket) return;
    let frames: RelpFrame[];
    try {
      frames = session.parser.push(chunk);
    } catch (err) {
      return this.abandon(socket, err as Error);
    }
    for (const frame of frames) {
      if (frame.command === 'serverclose') return this.abandon(socket, new Error('the RELP peer closed the session (serverclose)'));
      if (frame.command !== 'rsp') return this.abandon(socket, new Error(`unexpected RELP command from the peer: ${frame.command}`));
      const answer = session.waiting.get(frame.txnr);
      if (!answer) return this.abandon(socket, new Error(`RELP response for unknown transaction ${frame.txnr}`));
      session.waiting.delete(frame.txnr);
      answer(frame);
    }
    this.resume();
  }

  /** Waits briefly for outstanding acknowledgements, then closes the session politely. */
  protected override async shutdown(socket: net.Socket): Promise<void> {
    const session = this.session;
    const deadline = Date.now() + 1000;
    while (session?.socket === socket && this.unsettledCount > 0 && Date.now() < deadline && !socket.destroyed) {
      await new Promise((r) => setTimeout(r, 10));
    }
    if (session?.socket === socket && !socket.destroyed) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.max(50, deadline - Date.now()));
        socket.once('close', () => {
          clearTimeout(timer);
          resolve();
        });
        this.command(session, 'close', Buffer.alloc(0), () => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    this.session = undefined;
    socket.end();
  }

  private command(session: Session, command: string, data: Buffer, answer: (rsp: RelpFrame) => void): void {
    const txnr = this.take(session);
    session.waiting.set(txnr, answer);
    session.socket.write(relpFrame(txnr, command, data));
  }

  private take(session: Session): number {
    const txnr = session.nextTxnr;
    session.nextTxnr = txnr >= MAX_TXNR ? 1 : txnr + 1;
    return txnr;
  }
}

function firstLine(text: string): string {
  return text.split('\n')[0].slice(0, 200);
}
