import { resolve } from 'node:path';

/** `scheme://user:password@` (or `scheme://user@`): what an error message must never repeat. */
const URL_CREDENTIALS = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/@]+@/gi;

/**
 * A failure reason as people see it (stored on the capture, in the timeline, in Slack): the
 * capture named as it was uploaded instead of its spool path (`paths`), any other file under the
 * spool (`dirs`) named the same, and no credentials of any URL. Error messages name files by the
 * path they were read from, and a fetch of a URL with credentials repeats the URL.
 */
export function redactReason(text: string, o: { name: string; paths?: (string | null | undefined)[]; dirs?: string[] }): string {
  let out = text.replace(URL_CREDENTIALS, '$1');
  for (const p of o.paths ?? []) {
    if (!p) continue;
    for (const form of longestFirst(p)) out = out.replaceAll(form, o.name);
  }
  for (const d of o.dirs ?? []) {
    for (const form of longestFirst(d)) {
      const prefix = form.replace(/\/+$/, '');
      if (prefix === '') continue;
      // Spool file names are [A-Za-z0-9._-] (spool-capture.ts), so a path ends at anything else but '/'.
      out = out.replace(new RegExp(`${prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/[A-Za-z0-9._/-]*`, 'g'), o.name);
    }
  }
  return out;
}

/** A path as given and absolute, the longer first (a relative path is the tail of its absolute form). */
function longestFirst(path: string): string[] {
  return [...new Set([resolve(path), path])].sort((a, b) => b.length - a.length);
}
