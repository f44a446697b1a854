import type { Engine, EngineResult, EngineSegment } from '../../pipeline/engines/engine.js';

/** Wraps a real engine and counts what reaches it (segments per language pair). */
export class CountingEngine implements Engine {
  readonly calls: Array<{ target: string; ids: string[]; texts: string[] }> = [];
  constructor(private readonly inner: Engine) {}
  get info() {
    return this.inner.info;
  }
  supports(s: string, t: string) {
    return this.inner.supports(s, t);
  }
  pivotOf(s: string, t: string) {
    return this.inner.pivotOf?.(s, t);
  }
  /** Warm-ups asked for, forwarded to the real engine. */
  readonly warmed: Array<{ source: string; targets: readonly string[] }> = [];
  warm(source: string, targets: readonly string[]) {
    this.warmed.push({ source, targets });
    this.inner.warm?.(source, targets);
  }
  async translate(source: string, target: string, segments: readonly EngineSegment[]): Promise<EngineResult[]> {
    this.calls.push({ target, ids: segments.map((s) => s.id), texts: segments.map((s) => s.text) });
    return this.inner.translate(source, target, segments);
  }
  segmentsSent(): number {
    return this.calls.reduce((n, c) => n + c.texts.length, 0);
  }
  close() {
    return this.inner.close();
  }
}
