/** Entry point of the alignment writer's thread (see align-writer.ts). */
import { parentPort } from 'node:worker_threads';
import { serveAlignmentJobs } from './align-writer.js';

if (!parentPort) throw new Error('align-worker.js runs as a worker thread of relais');
serveAlignmentJobs(parentPort);
