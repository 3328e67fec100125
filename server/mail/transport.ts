import fs from 'node:fs/promises';
import path from 'node:path';
import nodemailer from 'nodemailer';

export interface OutgoingMail {
  id: string;
  kind: string;
  from: string;
  to: string;
  subject: string;
  text: string;
  html: string;
}

export interface MailTransport {
  /** Where mail goes, for the operator: "smtp://host:port" or the drop folder. */
  describe(): string;
  send(mail: OutgoingMail): Promise<void>;
  close(): void;
}

function headers(mail: OutgoingMail) {
  return { from: mail.from, to: mail.to, subject: mail.subject, text: mail.text, html: mail.html, messageId: `<${mail.id}@guichet.anru>` };
}

export function smtpTransport(url: string): MailTransport {
  const transporter = nodemailer.createTransport(url);
  const safe = new URL(url);
  safe.password = '';
  safe.username = '';
  return {
    describe: () => safe.toString(),
    send: async (mail) => {
      await transporter.sendMail(headers(mail));
    },
    close: () => transporter.close(),
  };
}

/**
 * Without SMTP, each message is written as an .eml file a person can open in
 * any mail client, so a fresh install works offline. Written under a
 * temporary name then renamed, so a reader never sees half a message.
 */
export function mailDropTransport(dir: string): MailTransport {
  const builder = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  return {
    describe: () => dir,
    send: async (mail) => {
      await fs.mkdir(dir, { recursive: true });
      const info = await builder.sendMail(headers(mail));
      const stamp = new Date().toISOString().replace(/[:.]/g, '-');
      const file = path.join(dir, `${stamp}-${mail.kind}-${mail.id}.eml`);
      await fs.writeFile(`${file}.tmp`, info.message as Buffer);
      await fs.rename(`${file}.tmp`, file);
    },
    close: () => builder.close(),
  };
}
