import { runProcess } from '../../cli/src/run-process.js';

await runProcess(['worker']);
