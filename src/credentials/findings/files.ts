// The config and credentials files themselves: missing, unreadable, encoding, inline comments.

import { INLINE_COMMENT_CAUSE } from "../../core/finding-causes.js";
import { jsConfigProfileName, jsCredentialsProfileName, pyConfigSection } from "../ini.js";
import type { FileSnapshot, Snapshot } from "../types.js";
import type { FindingDraft } from "./common.js";

export function checkInlineComments(f: FileSnapshot, out: FindingDraft[]): void {
  for (const s of f.scan.sections)
    for (const e of s.pyEntries) {
      if (!/\s[#;]/.test(e.value)) continue;
      if (!/^aws_|^region$|^role_arn$|^source_profile$|^sso_/.test(e.key)) continue;
      out.push({
        code: "inline-comment-in-value",
        cause:
          INLINE_COMMENT_CAUSE[
            e.key.startsWith("aws_secret")
              ? "secret"
              : e.key.startsWith("aws_access")
                ? "access-key-id"
                : "other"
          ],
        severity: "warning",
        message: `\`${e.key}\` has a comment after its value: JS v3 drops it, but boto3 and the AWS CLI keep it as part of the value`,
        where: `${f.display}:${e.line}`,
        fix: "move the comment to its own line",
        sdks: ["python", "cli"],
      });
    }
}

export function checkFiles(snap: Snapshot, out: FindingDraft[]): void {
  for (const f of [snap.config, snap.credentials]) {
    const kind = f === snap.config ? "config" : "credentials";
    if (f.status === "missing" && f.chosenBy !== "default")
      out.push({
        code: "file-missing",
        severity: "warning",
        message: `the ${kind} file ${f.display} ${f.chosenBy === "input" ? "given explicitly" : `named by ${f.chosenBy}`} does not exist`,
        where: f.chosenBy,
        fix: f.chosenBy === "input" ? "check the path" : `point ${f.chosenBy} at the right file, or unset it`,
      });
    if (f.status === "unreadable")
      out.push({
        code: "file-unreadable",
        severity: "error",
        message: `the ${kind} file ${f.display} cannot be read: ${f.error}`,
        where: f.display,
        fix: "fix the file's permissions (`chmod 600`) or owner",
      });
    if (f.status !== "ok") continue;
    if (f.encoding === "utf-16le" || f.encoding === "utf-16be")
      out.push({
        code: "file-utf16",
        severity: "error",
        message: `the ${kind} file ${f.display} is saved as UTF-16: no SDK can read it (JS v3 sees no profiles, boto3 and the AWS CLI fail to parse it)`,
        where: f.display,
        fix: "save the file as UTF-8 (PowerShell: `Set-Content -Encoding utf8`, or re-create it with `aws configure`)",
      });
    else if (f.encoding === "latin1")
      out.push({
        code: "file-not-utf8",
        severity: "error",
        message: `the ${kind} file ${f.display} is not valid UTF-8: boto3 and the AWS CLI fail to parse it`,
        where: f.display,
        fix: "save the file as UTF-8",
        sdks: ["python", "cli"],
      });
    else if (f.encoding === "utf-8-bom")
      out.push({
        code: "file-utf8-bom",
        severity: "error",
        message: `the ${kind} file ${f.display} starts with a UTF-8 byte order mark: boto3 and the AWS CLI fail to parse it (JS v3 reads it)`,
        where: `${f.display}:1`,
        fix: "save the file as UTF-8 without BOM (Notepad: `UTF-8`, not `UTF-8 with BOM`)",
        sdks: ["python", "cli"],
      });
    else if (f.pythonError)
      out.push({
        code: "file-parse-error",
        severity: "error",
        message: `boto3 and the AWS CLI refuse the ${kind} file ${f.display}: ${f.pythonError} (JS v3 reads it leniently)`,
        where: `${f.display}:${/^line (\d+)/.exec(f.pythonError)?.[1] ?? "1"}`,
        fix: "fix that line: every line must be `[section]`, `key = value`, a comment or empty, each section and key once",
        sdks: ["python", "cli"],
      });
    if (f.scan.strayCrLines.length > 0)
      out.push({
        code: "file-stray-cr",
        severity: "warning",
        message: `the ${kind} file ${f.display} has carriage returns inside lines: JS v3 keeps them in the values, boto3 and the AWS CLI split the lines there`,
        where: `${f.display}:${f.scan.strayCrLines[0]}`,
        fix: "convert the file with `dos2unix`",
      });
    if (
      Object.keys(f.js).length === 0 &&
      f.scan.sections.some((s) => s.header === "__proto__" || s.header === "profile __proto__")
    )
      out.push({
        code: "file-parse-error",
        severity: "error",
        message: `JS v3 refuses the ${kind} file ${f.display}: it has a section named \`__proto__\``,
        where: f.display,
        fix: "rename that section",
        sdks: ["js"],
      });
  }
  // section-form mistakes anywhere in the files (docs/aws-facts.md §2.4)
  for (const s of snap.config.scan.sections) {
    if (
      jsConfigProfileName(s.header) ||
      pyConfigSection(s.header) ||
      /^(sso-session|services|plugins|preview)\b/.test(s.header)
    )
      continue;
    out.push({
      code: "config-section-without-profile-prefix",
      severity: "warning",
      message: `\`[${s.header}]\` in the config file is ignored by every SDK: profiles there are written \`[profile ${s.header}]\``,
      where: `${snap.config.display}:${s.line}`,
      fix: `rename the section to \`[profile ${s.header}]\``,
    });
  }
  for (const s of snap.credentials.scan.sections) {
    if (!/^profile\s/.test(s.header)) continue;
    const name = s.header.replace(/^profile\s+/, "");
    out.push({
      code: "credentials-section-with-profile-prefix",
      severity: "warning",
      message: `\`[${s.header}]\` in the credentials file does not define profile \`${name}\` (JS v3 stores it as \`${jsCredentialsProfileName(s.header)}\`, boto3 as \`${s.header}\`)`,
      where: `${snap.credentials.display}:${s.line}`,
      fix: `rename the section to \`[${name}]\`: the credentials file has no \`profile\` prefix`,
    });
  }
}
