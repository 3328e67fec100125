// `npm start`: the desktop app. It needs Electron's own binary, which the
// electron package downloads on first use; say so plainly when it cannot.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const electronDir = path.dirname(require.resolve('electron/package.json'));

function binaryPath() {
  const pathFile = path.join(electronDir, 'path.txt');
  if (!fs.existsSync(pathFile)) return null;
  const binary = path.join(electronDir, 'dist', fs.readFileSync(pathFile, 'utf8').trim());
  return fs.existsSync(binary) ? binary : null;
}

if (!binaryPath()) {
  console.log("Téléchargement du binaire Electron (première utilisation de l'application de bureau)…");
  spawnSync(process.execPath, [path.join(electronDir, 'install.js')], { stdio: 'ignore', env: process.env });
}

if (!binaryPath()) {
  console.error(
    [
      '',
      "L'application de bureau ne peut pas démarrer : le binaire Electron est absent.",
      '',
      "Il est téléchargé par « npm install » (ou au premier « npm start ») et demande un accès à internet.",
      "Sur une machine qui n'en a pas, installez les dépendances ailleurs ou utilisez l'interface web :",
      '',
      '    npm run serve      (service + interface web sur http://localhost:4780)',
      '',
    ].join('\n'),
  );
  process.exit(1);
}

const result = spawnSync('npx', ['electron-vite', 'preview'], { stdio: 'inherit' });
process.exit(result.status ?? 1);
