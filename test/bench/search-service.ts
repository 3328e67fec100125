import path from 'node:path';
import { buildApp } from '../../server/app.js';
import { loadConfig } from '../../server/config.js';

// The service whose search the benchmark times, in a process of its own as
// in production: the benchmark's HTTP client and its direct queries do not
// share its event loop. Sends its address; on 'cpu', the CPU time it used
// since the previous 'cpu' (ms); stops on 'stop'.
const database = process.argv[2];
if (!database || !process.send) throw new Error('usage: fork search-service <database>');
const app = await buildApp(loadConfig({ DATABASE_URL: database, DATA_DIR: path.dirname(database), WEB_ROOT: '', LOG_LEVEL: 'error', DIRECTORY_RATE_LIMIT_PER_MINUTE: '1000000' }), {
  logger: false,
  startMailWorker: false,
});
const url = await app.listen({ port: 0, host: '127.0.0.1' });
let last = process.cpuUsage();
process.on('message', (message: string) => {
  if (message === 'cpu') {
    const used = process.cpuUsage(last);
    last = process.cpuUsage();
    process.send!({ cpuMs: (used.user + used.system) / 1000 });
  } else void app.close().then(() => process.exit(0));
});
process.send({ url });
