// A sandboxed preload is CommonJS, hence require().
const { contextBridge } = require('electron') as typeof import('electron');

// The only thing the page learns from the desktop shell: where its service is.
const prefix = '--guichet-service-url=';
const serviceUrl = process.argv.find((arg) => arg.startsWith(prefix))?.slice(prefix.length);

contextBridge.exposeInMainWorld('guichet', Object.freeze({ serviceUrl }));
