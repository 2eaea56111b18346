// One of several processes writing one store at once (test/store/concurrency.test.ts).
// Uses the built package (npm test builds first). argv: mode investigationId name iterations
import { openInvestigations } from '../../dist/src/investigations/open-investigations.js';
import { addNote, openInvestigation, updateSymptom } from '../../dist/src/investigations/lifecycle.js';
import { claimEvent } from '../../dist/src/store/slack-state-repo.js';
import { readConfig } from '../../dist/src/config.js';

const [mode, id, name, iterations, goAt] = process.argv.slice(2);
// Start together: every process has loaded its modules and waits for the same moment.
await new Promise((go) => setTimeout(go, Math.max(0, Number(goAt ?? 0) - Date.now())));
const ctx = await openInvestigations(readConfig(process.env));
let claimed = 0;
try {
  if (mode === 'open') {
    const inv = await openInvestigation(ctx, { title: `opened by ${name}` });
    process.stdout.write(JSON.stringify({ id: inv.id }));
  } else {
    for (let i = 0; i < Number(iterations); i++) {
      await updateSymptom(ctx, id, `${name}-${i}`, { append: true, actor: name });
      await addNote(ctx, id, `note ${name}-${i}`, name);
      if (await claimEvent(ctx.store.db, `Ev-${i}`, new Date())) claimed++;
    }
    process.stdout.write(JSON.stringify({ claimed }));
  }
} finally {
  await ctx.store.close();
}
