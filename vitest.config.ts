import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vitest/config';

const nodeTests = {
  environment: 'node',
  include: ['test/common/**/*.test.ts', 'test/server/**/*.test.ts', 'test/src-main/**/*.test.ts', 'test/scripts/**/*.test.ts', 'test/faults/**/*.test.ts'],
  globalSetup: ['test/support/global-setup.ts'],
  testTimeout: 20_000,
  hookTimeout: 30_000,
};

export default defineConfig({
  test: {
    projects: [
      {
        test: { name: 'node', ...nodeTests },
      },
      {
        // The service's tests again, on PostgreSQL: it must be running (127.0.0.1:5432, or TEST_POSTGRES_URL).
        test: {
          name: 'postgres',
          ...nodeTests,
          include: ['test/server/**/*.test.ts'],
          // These two use SQLite and PostgreSQL side by side already; file modes and free pages are the SQLite file's.
          exclude: [
            'test/server/db/copy.test.ts',
            'test/server/directory/parity.test.ts',
            'test/server/db/file-modes.test.ts',
            'test/server/directory/import-free-pages.test.ts',
          ],
          env: { TEST_DATABASE: 'postgres' },
        },
      },
      {
        plugins: [vue()],
        test: {
          name: 'renderer',
          environment: 'happy-dom',
          include: ['test/src-renderer/**/*.spec.ts'],
          setupFiles: ['test/src-renderer/vitest.setup.ts'],
          // The specs replace the HTTP layer with vi.mock automocks, reset between tests.
          mockReset: true,
        },
      },
    ],
  },
});
