import fs from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import nodemailer from 'nodemailer';
import type { Config } from '../config.js';
import { PRIVATE_DIR_MODE, PRIVATE_FILE_MODE } from '../private-files.js';

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
 * temporary name then renamed, so a reader never sees half a message. The
 * messages hold live set-password links: the folder is the service user's
 * alone (0700, even when an older version made it 0755), each file 0600.
 */
export function mailDropTransport(dir: string): MailTransport {
  const builder = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  let closed = false;
  return {
    describe: () => dir,
    send: async (mail) => {
      await fs.mkdir(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
      if (!closed) {
        await fs.chmod(dir, PRIVATE_DIR_MODE);
        closed = true;
      }
      const info = await builder.sendMail(headers(mail));
      const stamp = new Date().toISOString().replace(/[:.]/g, '-');
      const file = path.join(dir, `${stamp}-${mail.kind}-${mail.id}.eml`);
      await fs.writeFile(`${file}.tmp`, info.message as Buffer, { mode: PRIVATE_FILE_MODE });
      await fs.rename(`${file}.tmp`, file);
    },
    close: () => builder.close(),
  };
}

/**
 * Deletes the dropped messages older than maxAgeMs (by the time they were
 * written), and temporary files a crash left behind; anything else an
 * operator put in the folder stays.
 */
export async function pruneMailDrop(dir: string, now: Date, maxAgeMs: number): Promise<void> {
  let names: string[];
  try {
    names = await fs.readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  const cutoff = now.getTime() - maxAgeMs;
  for (const name of names.filter((n) => n.endsWith('.eml') || n.endsWith('.eml.tmp'))) {
    const file = path.join(dir, name);
    const stat = await fs.stat(file).catch(() => null);
    if (stat?.isFile() && stat.mtimeMs < cutoff) await fs.rm(file, { force: true });
  }
}

function isLoopback(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost') || host === '::1') return true;
  return net.isIPv4(host) && host.startsWith('127.');
}

/**
 * The French warning for the start-up log when links are written to the
 * mail-drop folder while the service answers other machines: people expect
 * those emails, and whoever reads the folder can set their passwords.
 */
export function mailDropWarning(config: Pick<Config, 'smtpUrl' | 'publicUrl' | 'mailDropDir'>): string | null {
  if (config.smtpUrl || isLoopback(new URL(config.publicUrl).hostname)) return null;
  return (
    `Les e-mails sont déposés dans ${config.mailDropDir} au lieu d'être envoyés, alors que PUBLIC_URL (${config.publicUrl}) ` +
    "sert d'autres postes : personne ne les reçoit, et quiconque lit ce dossier peut définir le mot de passe des comptes. " +
    'Indiquez un serveur SMTP dans SMTP_URL.'
  );
}
