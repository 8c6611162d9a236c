import { runProcess } from '../../bootstrap/src/start-process.js';

await runProcess(['api']);
