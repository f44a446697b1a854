import { lstatSync, readFileSync, readdirSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Everything under `dir`, links not followed: a file's bytes, a link's target (`-> …`), and with
 * `emptyFolders` an empty folder as `<path>/` → `(empty)`. Two snapshots are equal when nothing changed.
 */
export function snapshot(dir: string, o: { emptyFolders?: boolean } = {}): Record<string, Buffer | string> {
  const out: Record<string, Buffer | string> = {};
  const walk = (d: string) => {
    const names = readdirSync(d).sort();
    if (o.emptyFolders && names.length === 0) out[`${d.slice(dir.length + 1)}/`] = '(empty)';
    for (const name of names) {
      const p = join(d, name);
      const st = lstatSync(p);
      if (st.isSymbolicLink()) out[p.slice(dir.length + 1)] = `-> ${readlinkSync(p)}`;
      else if (st.isDirectory()) walk(p);
      else out[p.slice(dir.length + 1)] = readFileSync(p);
    }
  };
  walk(dir);
  return out;
}
