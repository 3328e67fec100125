import fs from 'node:fs/promises';
import path from 'node:path';
import { simpleParser } from 'mailparser';

export interface ReceivedMail {
  file: string;
  to: string;
  subject: string;
  text: string;
  html: string;
}

export async function parseMail(source: Buffer | string): Promise<Omit<ReceivedMail, 'file'>> {
  const parsed = await simpleParser(source);
  const to = Array.isArray(parsed.to) ? parsed.to.map((a) => a.text).join(', ') : (parsed.to?.text ?? '');
  return { to, subject: parsed.subject ?? '', text: parsed.text ?? '', html: typeof parsed.html === 'string' ? parsed.html : '' };
}

/** Every .eml in the mail-drop folder, oldest first. */
export async function readMailDrop(dir: string): Promise<ReceivedMail[]> {
  let names: string[];
  try {
    names = (await fs.readdir(dir)).filter((n) => n.endsWith('.eml')).sort();
  } catch {
    return [];
  }
  return Promise.all(
    names.map(async (name) => ({ file: name, ...(await parseMail(await fs.readFile(path.join(dir, name)))) })),
  );
}

/** The set-password link of a message, as the person would click it ("cliquez ici"). */
export function setPasswordLink(mail: Pick<ReceivedMail, 'html'>): string {
  const match = /<a href="([^"]+)">cliquez ici<\/a>/.exec(mail.html);
  if (!match?.[1]) throw new Error(`no "cliquez ici" link in: ${mail.html}`);
  return match[1].replace(/&#38;/g, '&');
}

export function tokenOf(link: string): string {
  const token = new URL(link.replace('/#/', '/')).searchParams.get('jeton');
  if (!token) throw new Error(`no token in ${link}`);
  return token;
}
