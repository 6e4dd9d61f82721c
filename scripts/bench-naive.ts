/**
 * The naive integration the benchmark compares against: one Kingdee session, one document at a time, check then
 * save (with IsAutoSubmitAndAudit), reading JST page by page. Env as the services (see scripts/bench.ts).
 */
import { loadEnv, loadSyncConfig } from '@sync/config';
import { flowContext, getFlow } from '@sync/flows';
import { createJstClient } from '@sync/jushuitan';
import { createKingdeeClient } from '@sync/kingdee';

async function main(): Promise<void> {
  const env = loadEnv();
  const config = loadSyncConfig(env.SYNC_CONFIG);
  const flow = getFlow('sales-outbound');
  const jst = createJstClient({ baseUrl: env.JST_BASE_URL, appKey: env.JST_APP_KEY!, appSecret: env.JST_APP_SECRET!, accessToken: env.JST_ACCESS_TOKEN });
  const [username] = (env.KINGDEE_USERNAME ?? '').split(',');
  const [password] = (env.KINGDEE_PASSWORD ?? '').split(',');
  const kingdee = createKingdeeClient({ baseUrl: env.KINGDEE_BASE_URL, auth: 'password', acctId: env.KINGDEE_ACCT_ID!, users: [{ username: username!, password }], timeoutMs: 60000 });
  for await (const page of jst.scanByTs(flow.source.path, '1')) {
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
