// Canary values planted in every place a secret can live (env, both files, credential_process, SSO cache,
// web identity token, container token), for the redaction tests.

import { expect } from "vitest";
import { ssoCacheFileName } from "../../src/credentials/snapshot.js";
import { KEY_A, KEY_T, tempHome } from "./helpers.js";

/** Every canary; each is unique so a leak names its origin. */
export const CANARIES = {
  envSecret: "wJalrXUtnFEMI/K7MDENG/CANARY0ENV0SECRET1",
  envToken: "IQoJb3JpZ2luCANARYENVTOKENxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
  envSecurityToken: "CANARYsecurityTOKENenv99",
  envContainerToken: "CANARYcontainerAUTHtoken7",
  fileSecret: "CANARYfileSECRETvalue000000000000000000aa",
  fileToken: "CANARYfileSESSIONtoken123456",
  quotedSecret: "CANARYquotedSECRET4",
  commentSecret: "CANARYcommentSECRET5",
  crSecret: "CANARYcrSECRET6",
  continuationSecret: "CANARYcontinuationSECRET7",
  configSecret: "CANARYconfigSECRET8",
  processSecret: "CANARYprocessSECRET9",
  processToken: "CANARYprocessTOKEN10",
  ssoAccessToken: "CANARYssoACCESStoken11",
  ssoRefreshToken: "CANARYssoREFRESHtoken12",
  ssoClientSecret: "CANARYssoCLIENTsecret13",
  garbledSso: "CANARYgarbledSSO14",
  jwtSignature: "CANARYjwtSIGNATURE15",
  jwtSubject: "CANARYjwtSUBJECT16",
  containerFile: "CANARYcontainerFILE17",
  dupSecret: "CANARYduplicateSECRET18",
  stray: "CANARYstrayLINE19",
};

export function plantedHome(): { home: string; env: Record<string, string> } {
  const c = CANARIES;
  const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString("base64url");
  const jwt = `${b64({ alg: "RS256" })}.${b64({ iss: "https://issuer.example", aud: "sts.amazonaws.com", sub: c.jwtSubject, exp: 1 })}.${c.jwtSignature}`;
  const home = tempHome({
    ".aws/credentials": [
      "[default]",
      `aws_access_key_id = ${KEY_A}`,
      `aws_secret_access_key = ${c.fileSecret}`,
      `aws_session_token = ${c.fileToken}`,
      "[quoted]",
      `aws_access_key_id = "${KEY_T}"`,
      `aws_secret_access_key = "${c.quotedSecret}"`,
      "[commented]",
      `aws_access_key_id = ${KEY_A}`,
      `aws_secret_access_key = ${c.commentSecret} # old one`,
      "[cr]",
      `aws_access_key_id = ${KEY_A}`,
      `aws_secret_access_key = ${c.crSecret}\r\r`,
      "[continued]",
      `aws_access_key_id = ${KEY_T}`,
      "aws_secret_access_key =",
      `  ${c.continuationSecret}`,
      "[dup]",
      `aws_access_key_id = ${KEY_A}`,
      `aws_secret_access_key = ${c.dupSecret}`,
      `aws_secret_access_key = ${c.dupSecret}x`,
      c.stray,
      "",
    ].join("\n"),
    ".aws/config": [
      "[default]",
      "region = ap-east-1",
      `aws_secret_access_key = ${c.configSecret}`,
      "[profile proc]",
      `credential_process = echo '{"Version":1,"AccessKeyId":"${KEY_A}","SecretAccessKey":"${c.processSecret}","SessionToken":"${c.processToken}"}'`,
      "[profile sso]",
      "sso_session = corp",
      "sso_account_id = 123456789012",
      "sso_role_name = Dev",
      "[sso-session corp]",
      "sso_start_url = https://corp.awsapps.com/start",
      "sso_region = eu-west-1",
      "[profile legacy]",
      "sso_start_url = https://old.awsapps.com/start",
      "sso_region = eu-west-1",
      "sso_account_id = 123456789012",
      "sso_role_name = Dev",
      "",
    ].join("\n"),
    [`.aws/sso/cache/${ssoCacheFileName("corp")}`]: JSON.stringify({
      accessToken: c.ssoAccessToken,
      refreshToken: c.ssoRefreshToken,
      clientSecret: c.ssoClientSecret,
      expiresAt: "2020-01-01T00:00:00Z",
    }),
    [`.aws/sso/cache/${ssoCacheFileName("https://old.awsapps.com/start")}`]: `{"accessToken": "${c.garbledSso}", oops`,
    "token.jwt": jwt,
    "container-token": c.containerFile,
  });
  const env = {
    AWS_ACCESS_KEY_ID: KEY_T,
    AWS_SECRET_ACCESS_KEY: c.envSecret,
    AWS_SESSION_TOKEN: c.envToken,
    AWS_SECURITY_TOKEN: c.envSecurityToken,
    AWS_CONTAINER_AUTHORIZATION_TOKEN: c.envContainerToken,
    AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE: `${home}/container-token`,
    AWS_WEB_IDENTITY_TOKEN_FILE: `${home}/token.jwt`,
    AWS_ROLE_ARN: "arn:aws:iam::123456789012:role/irsa",
    AWS_PROFILE: "sso",
    AWS_ENDPOINT_URL_STS: `https://user:${c.envSecret}@sts.amazonaws.com/?X-Amz-Security-Token=${c.envToken}`,
  };
  return { home, env };
}

/** Assert no canary (nor its lower-case form) occurs in `text`. */
export function expectNoCanary(text: string): void {
  for (const [name, v] of Object.entries(CANARIES)) {
    expect(text.includes(v), `canary ${name} leaked`).toBe(false);
    expect(text.toLowerCase().includes(v.toLowerCase()), `canary ${name} leaked (lower case)`).toBe(false);
  }
}
