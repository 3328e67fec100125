import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { stageDesktopApp } from '../../scripts/dist-desktop.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function project(withBuild = true): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'guichet-stage-'));
  dirs.push(root);
  fs.writeFileSync(path.join(root, 'package.json'), '{"name":"guichet"}');
  fs.writeFileSync(path.join(root, 'package-lock.json'), '{"lockfileVersion":3}');
  if (withBuild) {
    for (const part of ['main', 'preload', 'renderer']) {
      fs.mkdirSync(path.join(root, 'out', part), { recursive: true });
      fs.writeFileSync(path.join(root, 'out', part, 'index.js'), part);
    }
  }
  fs.mkdirSync(path.join(root, 'node_modules', 'keytar'), { recursive: true });
  fs.writeFileSync(path.join(root, 'node_modules', 'keytar', 'built-for.txt'), 'node');
  return root;
}

describe('staging the desktop app for electron-builder', () => {
  it('copies the build and the manifests, installs in the stage, and leaves the project\'s node_modules alone', () => {
    const root = project();
    const installedIn: string[] = [];
    const stage = stageDesktopApp(root, (dir) => {
      installedIn.push(dir);
      fs.mkdirSync(path.join(dir, 'node_modules', 'keytar'), { recursive: true });
      fs.writeFileSync(path.join(dir, 'node_modules', 'keytar', 'built-for.txt'), 'electron');
    });

    expect(stage).toBe(path.join(root, 'out', 'package'));
    expect(installedIn).toEqual([stage]);
    expect(fs.readdirSync(path.join(stage, 'out')).sort()).toEqual(['main', 'preload', 'renderer']);
    expect(fs.readFileSync(path.join(stage, 'package.json'), 'utf8')).toBe('{"name":"guichet"}');
    expect(fs.existsSync(path.join(stage, 'package-lock.json'))).toBe(true);
    expect(fs.readFileSync(path.join(root, 'node_modules', 'keytar', 'built-for.txt'), 'utf8')).toBe('node');
  });

  it('starts from a clean stage each time', () => {
    const root = project();
    const stage = stageDesktopApp(root, () => undefined);
    fs.writeFileSync(path.join(stage, 'left-over.txt'), 'x');
    stageDesktopApp(root, () => undefined);
    expect(fs.existsSync(path.join(stage, 'left-over.txt'))).toBe(false);
  });

  it('says what to run first when the app is not built', () => {
    expect(() => stageDesktopApp(project(false), () => undefined)).toThrow(/out\/main est absent : lancez d'abord « npx electron-vite build »/);
  });
});
