// Role profiles: role_arn, source_profile / credential_source chains.

import { type Profile, type ProfileStore, val } from "../profiles.js";
import { CREDENTIAL_SOURCES, MAX_SOURCE_HOPS } from "../shapes.js";
import { type FindingDraft, ROLE_ARN_RE } from "./common.js";

export function checkRoleProfiles(store: ProfileStore, inUse: Set<string>, out: FindingDraft[]): void {
  for (const [name, p] of store.profiles) {
    const sev = inUse.has(name) ? "error" : "warning";
    const roleArn = p.role_arn;
    if (roleArn && !ROLE_ARN_RE.test(roleArn.value.trim()))
      out.push({
        code: "role-arn-malformed",
        severity: sev,
        message: `\`role_arn\` of profile \`${name}\` is not a role ARN (expected \`arn:aws:iam::123456789012:role/NAME\`)`,
        where: roleArn.where,
        fix: "copy the role ARN from the IAM console (Roles -> the role -> ARN)",
      });
    const sp = val(p, "source_profile");
    const cs = val(p, "credential_source");
    if (roleArn && sp !== undefined && cs !== undefined)
      out.push({
        code: "source-profile-and-credential-source",
        severity: sev,
        message: `profile \`${name}\` sets both \`source_profile\` and \`credential_source\`: boto3 and the AWS CLI refuse it, JS v3 ignores its role`,
        where: p.credential_source!.where,
        fix: "keep exactly one of `source_profile` and `credential_source`",
      });
    if (cs !== undefined && !CREDENTIAL_SOURCES.includes(cs))
      out.push({
        code: "credential-source-invalid",
        severity: sev,
        message: `\`credential_source = ${cs}\` in profile \`${name}\` is not one of EcsContainer, Ec2InstanceMetadata, Environment`,
        where: p.credential_source!.where,
        fix: "use EcsContainer, Ec2InstanceMetadata or Environment (case-sensitive)",
      });
    if (sp !== undefined && !store.profiles.has(sp))
      out.push({
        code: "source-profile-missing",
        severity: sev,
        message: `profile \`${name}\` takes its keys from source_profile \`${sp}\`, which does not exist`,
        where: p.source_profile!.where,
        fix: `define \`[${sp}]\` with keys in the credentials file, or fix the name`,
      });
    if (sp !== undefined && roleArn) {
      // follow source_profile links; a loop without static keys to stop it never resolves (docs/aws-facts.md §1.21)
      const path = [name];
      const onPath = new Set(path);
      let cur: Profile | undefined = p;
      let curName = name;
      // a chain longer than the resolvers follow is theirs to report (shapes.ts MAX_SOURCE_HOPS)
      while (cur && path.length <= MAX_SOURCE_HOPS) {
        const next = val(cur, "source_profile");
        if (next === undefined || !store.profiles.has(next)) break;
        const nextP = store.profiles.get(next)!;
        const stops = nextP.aws_access_key_id !== undefined && nextP.aws_secret_access_key !== undefined;
        if (stops && (next !== curName || path.length === 1)) break;
        if (onPath.has(next)) {
          out.push({
            code: "source-profile-loop",
            severity: sev,
            message: `source_profile loop: ${[...path, next].join(" -> ")}`,
            where: p.source_profile!.where,
            fix: "end the chain at a profile with keys (or credential_source)",
          });
          break;
        }
        if (val(nextP, "role_arn") === undefined) break;
        path.push(next);
        onPath.add(next);
        curName = next;
        cur = nextP;
      }
    }
    if (roleArn && sp === undefined && cs === undefined && p.web_identity_token_file === undefined)
      out.push({
        code: "role-arn-without-source",
        severity: sev,
        message: `profile \`${name}\` has \`role_arn\` but no \`source_profile\` or \`credential_source\`: no SDK knows which keys assume the role`,
        where: roleArn.where,
        fix: "add `source_profile = <profile with keys>` (or `credential_source`)",
      });
    if (roleArn && p.mfa_serial && inUse.has(name))
      out.push({
        code: "mfa-serial-no-prompt",
        severity: "warning",
        message: `profile \`${name}\` needs an MFA code (\`mfa_serial\`): the AWS CLI and boto3 prompt for it, the JS v3 default chain cannot and stops`,
        where: p.mfa_serial.where,
        fix: "in JS pass `mfaCodeProvider` to `fromIni`, or use credentials from `aws sts get-session-token`",
        sdks: ["js"],
      });
  }
}
