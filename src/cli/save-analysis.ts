import { readdir, readFile, rm } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Readable } from 'node:stream';
import type { Analysis } from '../analysis/analysis-types.js';
import type { AnalyzeFileOptions } from '../analysis/analyze-file.js';
import { loadCaseLibrary } from '../cases/load-case-library.js';
import { CaseIndex } from '../cases/search-cases.js';
import type { Config } from '../config.js';
import { attachCapture } from '../investigations/captures.js';
import { openInvestigation } from '../investigations/lifecycle.js';
import { runCaptureAnalysis } from '../investigations/run-analysis.js';
import { spoolCapture } from '../investigations/spool-capture.js';
import type { CliIo } from './io.js';
import { cliActor, withInvestigations } from './with-store.js';

/**
 * --save: the capture is spooled (hashed on the way), a new investigation is opened with it, and
 * the analysis is recorded in the store, exactly as an upload in Slack would be.
 */
export async function saveAnalysis(source: string | Readable, file: string, symptom: string | null, options: Omit<AnalyzeFileOptions, 'onProgress'>, io: CliIo, config: Config): Promise<{ analyses: Analysis[]; investigation: string }> {
  const index = new CaseIndex((await loadCaseLibrary({ readdir, readFile }, config.caseLibraryDir)).cases);
  return withInvestigations(config, io, async (ctx) => {
    const name = file === '-' ? 'stdin' : basename(file);
    const spooled = await spoolCapture(source, config.spoolDir, { name });
    try {
      const title = symptom === null ? `Capture ${name}` : symptom.split('\n')[0].slice(0, 120);
      const inv = await openInvestigation(ctx, { title, symptom, actor: cliActor(io), source: 'netcase analyze --save' });
      const { capture } = await attachCapture(ctx, inv.id, { name, size: spooled.size, sha256: spooled.sha256, spoolPath: spooled.path, actor: cliActor(io) });
      const result = await runCaptureAnalysis(ctx, capture.id, { ...options, index });
      if (result === null) throw new Error(`capture ${capture.id} was taken by another runner`);
      return { analyses: result.analyses, investigation: inv.id };
    } catch (error) {
      // A capture that could not be read keeps its investigation (with the reason); its spool copy goes.
      await rm(spooled.path, { force: true });
      throw error;
    }
  });
}

