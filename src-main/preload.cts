// A sandboxed preload is CommonJS, hence require(); the build inlines the contract, which has no dependency.
const { contextBridge, ipcRenderer } = require('electron') as typeof import('electron');
const { IPC_CHANNELS, kioskFromArguments } = require('../common/ipc/contract.js') as typeof import('../common/ipc/contract.js');
type DesktopBridge = import('../common/ipc/contract.js').DesktopBridge;
type DesktopFunction = import('../common/ipc/contract.js').DesktopFunction;

// The page gets one function per IPC channel of the contract, and nothing of
// Electron itself: no ipcRenderer, no event objects. Each function only
// forwards its arguments; the main process checks the sender and validates them.
function forward<F extends DesktopFunction>(name: F): DesktopBridge[F] {
  const channel = IPC_CHANNELS[name];
  return ((...args: unknown[]) => ipcRenderer.invoke(channel, ...args)) as DesktopBridge[F];
}

const names = Object.keys(IPC_CHANNELS) as DesktopFunction[];
const bridge = Object.fromEntries(names.map((name) => [name, forward(name)])) as Omit<DesktopBridge, 'kiosk'>;

contextBridge.exposeInMainWorld('guichet', Object.freeze({ ...bridge, kiosk: kioskFromArguments(process.argv) } satisfies DesktopBridge));
