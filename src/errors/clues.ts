// What the text around an error says beyond the error itself (the pasted input, redacted): a key id prefix, a
// region mentioned, another partition, denial or encoded-message wording. The cause facts (src/causes/facts.ts)
// read these next to the Failure; the denial grammar itself is src/errors/message.ts.

/** Clues in a text. Every field is absent (or false) when the text does not show it. */
export interface TextClues {
  /** `AKIA`, `ASIA` (an access key id, whole or masked), else a unique-id prefix (`AROA`, `AIDA`…). */
  keyPrefix?: string;
  /** The first region name written in the text. */
  region?: string;
  /** An endpoint or ARN of the China or GovCloud partitions. */
  otherPartition: boolean;
  /** Authorization-refusal wording (`not authorized to perform`, `access denied`). */
  denial: boolean;
  /** `Encoded authorization failure message` (the message itself may be missing or cut). */
  encodedMessage: boolean;
}

// Access key ids as written or masked (`AKIA****WXYZ`); unique ids of users, roles, groups…:
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-unique-ids
const KEY_RE = /\b(AKIA|ASIA)(?=[A-Z0-9*]{4,})/;
const OTHER_ID_RE = /\b(ABIA|ACCA|AIDA|AROA|AGPA|AIPA)(?=[A-Z0-9*]{12,})/;
const REGION_RE =
  /\b((?:us-gov|us-iso|us-isob|cn|us|eu|ap|sa|ca|me|af|il|mx)-(?:north|south|east|west|central|northeast|southeast|northwest|southwest)-\d{1,2})\b/;
const OTHER_PARTITION_RE = /amazonaws\.com\.cn|arn:aws-(cn|us-gov)/;
const DENIAL_RE = /is not authorized to perform|not authorized to perform|\baccess denied\b/i;
const ENCODED_RE = /encoded authorization failure message/i;

/** Read the clues of `text` (bounded: callers pass at most a few hundred kilobytes). */
export function textClues(text: string): TextClues {
  const keyPrefix = KEY_RE.exec(text)?.[1] ?? OTHER_ID_RE.exec(text)?.[1];
  const region = REGION_RE.exec(text)?.[1];
  return {
    ...(keyPrefix ? { keyPrefix } : {}),
    ...(region ? { region } : {}),
    otherPartition: OTHER_PARTITION_RE.test(text),
    denial: DENIAL_RE.test(text),
    encodedMessage: ENCODED_RE.test(text),
  };
}
