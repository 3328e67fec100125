import type { IpcMainInvokeEvent } from 'electron';
import { ValidationError } from 'yup';
import { IPC_CHANNELS, type DesktopBridge, type DesktopFunction } from '../../common/ipc/contract.js';
import { IPC_ARGUMENTS } from '../../common/ipc/schemas.js';
import { isAppUrl } from '../connection/app-protocol.js';

// Every IPC handler of the main process goes through here: the call must come
// from the top frame of a page of the app (not an iframe, not a page the
// window was somehow navigated to), and its argument must pass the channel's
// schema. Only then does the handler run, with the validated value.

export type IpcHandlers = {
  [F in DesktopFunction]: (...args: Parameters<DesktopBridge[F]>) => ReturnType<DesktopBridge[F]>;
};

/** The part of ipcMain used here. */
export interface IpcMainLike {
  handle(channel: string, listener: (event: IpcMainInvokeEvent, ...args: unknown[]) => unknown): void;
}

export class IpcRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'IpcRefusedError';
  }
}

/** Refuses a call that does not come from the main frame of an app page. */
export function assertTrustedSender(event: IpcMainInvokeEvent): void {
  const frame = event.senderFrame;
  if (!frame || frame.parent !== null || !isAppUrl(frame.url)) {
    throw new IpcRefusedError('Appel refusé : il ne vient pas d\'une page de l\'application.');
  }
}

/** The channel's argument, validated and cast by its schema; refuses extra or missing arguments. */
export async function validateArguments(name: DesktopFunction, args: readonly unknown[]): Promise<unknown[]> {
  const schema = IPC_ARGUMENTS[name];
  if (schema === null) {
    if (args.length !== 0) throw new IpcRefusedError(`Appel refusé : « ${name} » ne prend pas d'argument.`);
    return [];
  }
  if (args.length !== 1) throw new IpcRefusedError(`Appel refusé : « ${name} » prend un seul argument.`);
  try {
    return [await schema.validate(args[0], { abortEarly: false })];
  } catch (error) {
    if (error instanceof ValidationError) throw new IpcRefusedError(`Appel refusé : ${error.errors.join(' ')}`);
    throw error;
  }
}

export function registerIpcHandlers(ipc: IpcMainLike, handlers: IpcHandlers): void {
  for (const name of Object.keys(IPC_CHANNELS) as DesktopFunction[]) {
    const handler = handlers[name] as (...args: unknown[]) => unknown;
    ipc.handle(IPC_CHANNELS[name], async (event, ...args) => {
      assertTrustedSender(event);
      return handler(...(await validateArguments(name, args)));
    });
  }
}
