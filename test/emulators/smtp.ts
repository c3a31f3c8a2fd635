// Demo SMTP server for the sandbox: accepts any mail (and any login, STARTTLS
// offered with smtp-server's self-signed certificate) and prints a line per mail.
import { startSmtp } from '../support/smtp';

export async function startDemo(port: number): Promise<{ url: string; close(): Promise<void> }> {
  const sink = await startSmtp({
    mode: 'starttls',
    port,
    onMail: (mail) => console.log(`  smtp demo: mail from ${mail.from} to ${mail.to.join(', ')}: ${mail.headers.subject ?? '(no subject)'}`),
  });
  // Keep only recent mails: the sandbox may run for a long time.
  const trim = setInterval(() => sink.mails.splice(0, Math.max(0, sink.mails.length - 100)), 60_000);
  trim.unref();
  return {
    url: `smtp://127.0.0.1:${sink.port}`,
    close: async () => {
      clearInterval(trim);
      await sink.close();
    },
  };
}
