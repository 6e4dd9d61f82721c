import { randomUUID } from 'node:crypto';
import type { KdSession } from './session-store';

/** Login answers (reference §2.1): same shape for ValidateUser, LoginByAppSecret and LoginBySign. */

/** LoginResultType 1 with the session ids; the caller also sets the two cookies. */
export function loginSuccessBody(session: KdSession, lcid: number): Record<string, unknown> {
  return {
    Message: null,
    MessageCode: '',
    LoginResultType: 1,
    Context: {
      UserLocale: 'zh-CN',
      LogLocale: 'zh-CN',
      DBid: session.acctId,
      DatabaseType: 3,
      SessionId: session.aspNetId,
      UseLanguages: [{ LocaleId: 2052, LocaleName: '中文(简体)', Alias: 'CN', LicenseType: 0 }],
      UserId: 100000 + Number.parseInt(session.label.split('#')[1] ?? '0', 10),
      UserName: session.username,
      CustomName: '金蝶云星空模拟器',
      DisplayVersion: '9.0.553.10',
      DataCenterName: '模拟数据中心',
      UserToken: randomUUID(),
      CurrentOrganizationInfo: { ID: 1, AcctOrgType: '1', Name: '电商公司', FunctionIds: [101, 102, 103, 104] },
      IsCH_ZH_AutoTrans: false,
      ClientType: 32,
      WeiboAuthInfo: null,
      UTimeZone: null,
      STimeZone: null,
      GDCID: '',
      Gsid: null,
      TRLevel: 1,
      ProductEdition: 0,
      DataCenterNumber: session.acctId,
      ContextResultType: 0,
      TenantId: '',
      IsDeployAsPublicCloud: false,
    },
    KDSVCSessionId: session.kdsvcId,
    FormId: null,
    RedirectFormParam: null,
    FormInputObject: null,
    ErrorStackTrace: null,
    Lcid: lcid,
    AccessToken: null,
    CustomParam: {},
    KdAccessResult: null,
    IsSuccessByAPI: true,
  };
}

/** A refused login: LoginResultType 0 (wrong user/password) or -1 (other failure). */
export function loginFailureBody(message: string, loginResultType: 0 | -1): Record<string, unknown> {
  return {
    Message: message,
    MessageCode: '',
    LoginResultType: loginResultType,
    Context: null,
    KDSVCSessionId: null,
    FormId: null,
    IsSuccessByAPI: false,
  };
}

/** Set-Cookie values for a session (both carriers the SDKs read). */
export function sessionCookies(session: KdSession): string[] {
  return [`kdservice-sessionid=${session.kdsvcId}; path=/`, `ASP.NET_SessionId=${session.aspNetId}; path=/; HttpOnly`];
}
