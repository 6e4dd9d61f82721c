/** `named` = `{formid, data}` (Python/Go/PHP SDKs); `positional` = `{parameters:[...]}` with data as a JSON string (Java/C# SDKs). */
export type BodyStyle = 'named' | 'positional';

/** One WebAPI call's arguments, independent of the body convention. */
export type KingdeeCallArgs =
  | { kind: 'form'; formId: string; data: Record<string, unknown> }
  | { kind: 'query'; data: Record<string, unknown> }
  | { kind: 'validate-user'; acctId: string; username: string; password: string; lcid: number }
  | { kind: 'login-by-app-secret'; acctId: string; username: string; appId: string; appSecret: string; lcid: number }
  | { kind: 'logout' };

/**
 * The JSON request body for a call in the chosen convention (kingdee-api.md §1, §2.1, §4). Pure.
 * The result contains credentials for login calls: never log it.
 */
export function buildRequestBody(args: KingdeeCallArgs, style: BodyStyle): Record<string, unknown> {
  switch (args.kind) {
    case 'form':
      return style === 'named' ? { formid: args.formId, data: args.data } : { parameters: [args.formId, JSON.stringify(args.data)] };
    case 'query':
      return style === 'named' ? { data: args.data } : { parameters: [JSON.stringify(args.data)] };
    case 'validate-user':
      return style === 'named'
        ? { acctID: args.acctId, username: args.username, password: args.password, lcid: args.lcid }
        : { parameters: [args.acctId, args.username, args.password, args.lcid] };
    case 'login-by-app-secret':
      return style === 'named'
        ? { acctid: args.acctId, username: args.username, appid: args.appId, appsecret: args.appSecret, lcid: args.lcid }
        : { parameters: [args.acctId, args.username, args.appId, args.appSecret, args.lcid] };
    case 'logout':
      return style === 'named' ? {} : { parameters: [] };
  }
}
