/**
 * The naive integration the benchmark compares against: one Kingdee session, one document at a time, check then
 * save (with IsAutoSubmitAndAudit), reading JST page by page. Env as the services (see scripts/bench.ts).
 */
import { loadEnv } from '@sync/config';
import { flowContext, getFlow, loadSyncConfig } from '@sync/flows';
import { createJstClient, jstOptionsFromEnv, scanByTsWith } from '@sync/jushuitan';
import { createKingdeeClient, kingdeeOptionsFromEnv } from '@sync/kingdee';

async function main(): Promise<void> {
  const env = loadEnv();
  const config = loadSyncConfig(env.SYNC_CONFIG);
  const flow = getFlow('sales-outbound');
  const jst = createJstClient(jstOptionsFromEnv(env, 'the naive loop'));
  // One session: only the first integration user, as a hand-written integration would.
  const options = kingdeeOptionsFromEnv(env, 'the naive loop');
  const kingdee = createKingdeeClient({ ...options, users: options.users.slice(0, 1) });
  for await (const page of scanByTsWith(jst.queryPage, flow.source.path, '1')) {
    for (const row of page.rows) {
      const doc = flow.schema.parse(row);
      if (!flow.isReady(doc)) continue;
      const result = flow.transform(doc, flowContext('sales-outbound', config, new Date().toISOString()));
      if (result.kind !== 'write') continue;
      for (const target of result.documents) {
        const found = await kingdee.executeBillQuery({ FormId: target.formId, FieldKeys: 'FID', FilterString: `FBillNo='${target.billNo}'` });
        if (found.length) continue;
        await kingdee.save(target.formId, { ...target.model, FBillNo: target.billNo }, { IsAutoSubmitAndAudit: true });
      }
    }
  }
  await kingdee.close();
}

main().catch((e: Error) => {
  console.error(e.message);
  process.exit(1);
});
