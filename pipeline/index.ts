/** relais's public API: run and inspect jobs from Node without shelling out. */
export { runJob, readJobStatus, publishJob, readTranslation } from './run-job.js';
export type { RunOptions, RunSummary, LanguageSummary, JobStatus } from './run-job.js';
export { JobStore, DEFAULT_JOB_DIR } from './job/job-store.js';
export { RelaisError, RelaisErrors } from './errors.js';
export type { ErrorCode, Place } from './errors.js';
export type * from './artifacts.js';
export type { Engine, EngineInfo, EngineResult, EngineSegment } from './engines/engine.js';
export { createEngine } from './engines/create-engine.js';
export { readGlossary, parseGlossary } from './glossary/parse.js';
export { segmentSentences, splitParagraphs } from './stages/segment/segment-text.js';
export { i18nextReadOptions } from './i18next-options.js';
