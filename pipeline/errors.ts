/**
 * One error class for everything relais reports to a user, with a closed union of stable codes.
 * Codes never change meaning once released; messages say what happened, why and what to do.
 */

/** A place in a file: 1-based line and column (as editors show them), plus the byte/char offset. */
export interface Place {
  file: string;
  line?: number;
  column?: number;
  /** 0-based offset; for encoding errors this is a byte offset, otherwise a UTF-16 char offset. */
  offset?: number;
}

export type ErrorCode =
  // input
  | 'INPUT_NOT_FOUND'
  | 'INPUT_NOT_UTF8'
  | 'INPUT_EMPTY'
  | 'INPUT_BINARY'
  | 'INPUT_TOO_LARGE'
  | 'INPUT_HTML'
  | 'INPUT_CONTROL_CHAR'
  // glossary
  | 'GLOSSARY_NOT_FOUND'
  | 'GLOSSARY_YAML_SYNTAX'
  | 'GLOSSARY_SHAPE'
  | 'GLOSSARY_UNKNOWN_KEY'
  | 'GLOSSARY_DUPLICATE_TERM'
  | 'GLOSSARY_EMPTY_FORM'
  | 'GLOSSARY_UNKNOWN_LANGUAGE'
  | 'GLOSSARY_CONFLICTING_TARGETS'
  | 'GLOSSARY_INVALID'
  // options
  | 'OPTION_INVALID'
  | 'LANGUAGE_UNSUPPORTED'
  | 'ENGINE_UNKNOWN'
  // engines
  | 'ENGINE_MISSING'
  | 'ENGINE_FAILED'
  // jobs
  | 'JOB_NOT_FOUND'
  | 'JOB_LOCKED'
  | 'JOB_CORRUPT'
  | 'JOB_INCOMPLETE'
  | 'LOCALES_LOCKED'
  // output
  | 'WRITE_FAILED'
  // review files brought back from a CAT tool (pipeline/review/xliff.ts, tmx.ts, plan-import.ts)
  | 'XLIFF_INVALID'
  | 'TMX_INVALID'
  | 'IMPORT_UNKNOWN_ID'
  | 'IMPORT_UNKNOWN_SOURCE'
  | 'IMPORT_AMBIGUOUS_ID'
  | 'IMPORT_SOURCE_CHANGED'
  | 'IMPORT_WRONG_LANGUAGE'
  | 'IMPORT_DUPLICATE_UNIT'
  // remote engines (DeepL): the job stops, finished segments are kept, a later run resumes
  | 'ENGINE_QUOTA'
  | 'ENGINE_AUTH'
  | 'ENGINE_RATE_LIMITED'
  | 'ENGINE_UNAVAILABLE'
  | 'COST_LIMIT'
  // queue mode (BullMQ on Redis)
  | 'QUEUE_UNREACHABLE'
  | 'QUEUE_FAILED';

export class RelaisError extends Error {
  readonly code: ErrorCode;
  readonly place: Place | undefined;
  /** What the user can do about it, printed on its own line by the CLI. */
  readonly hint: string | undefined;

  constructor(code: ErrorCode, message: string, options: { place?: Place; hint?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'RelaisError';
    this.code = code;
    this.place = options.place;
    this.hint = options.hint;
  }

  /** `file:line:col CODE message` — the shape editors and CI annotators understand. */
  format(): string {
    return `${formatPlace(this.place)}${this.code} ${this.message}${this.hint ? `\n  → ${this.hint}` : ''}`;
  }
}

/** Several problems found at once (e.g. every glossary error in one run). */
export class RelaisErrors extends RelaisError {
  readonly errors: readonly RelaisError[];
  constructor(errors: readonly RelaisError[], summary: string) {
    const first = errors[0];
    super(first?.code ?? 'GLOSSARY_INVALID', summary, { ...(first?.place ? { place: first.place } : {}) });
    this.name = 'RelaisErrors';
    this.errors = errors;
  }
  override format(): string {
    return [this.message, ...this.errors.map((e) => `  ${e.format()}`)].join('\n');
  }
}

export function formatPlace(place: Place | undefined): string {
  if (!place) return '';
  let s = place.file;
  if (place.line !== undefined) s += `:${place.line}`;
  if (place.line !== undefined && place.column !== undefined) s += `:${place.column}`;
  return `${s} `;
}

export function isRelaisError(e: unknown): e is RelaisError {
  return e instanceof RelaisError;
}
