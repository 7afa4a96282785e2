// Types shared by the CloudTrail readers and analyses (record fields: docs/aws-facts.md §6.1).

/** `userIdentity` of a CloudTrail record; every field optional because real logs omit many. */
export interface CloudTrailUserIdentity {
  type?: string;
  principalId?: string;
  arn?: string;
  accountId?: string;
  accessKeyId?: string;
  userName?: string;
  invokedBy?: string;
  identityProvider?: string;
  sessionContext?: {
    sessionIssuer?: {
      type?: string;
      principalId?: string;
      arn?: string;
      accountId?: string;
      userName?: string;
    };
    attributes?: { creationDate?: string; mfaAuthenticated?: string };
    sourceIdentity?: string;
    webIdFederationData?: { federatedProvider?: string; attributes?: Record<string, unknown> };
    ec2RoleDelivery?: string;
  };
  [key: string]: unknown;
}

/** One CloudTrail record as delivered (unknown fields kept). */
export interface CloudTrailRecord {
  eventVersion?: string;
  userIdentity?: CloudTrailUserIdentity;
  eventTime?: string;
  eventSource?: string;
  eventName?: string;
  awsRegion?: string;
  sourceIPAddress?: string;
  userAgent?: string;
  errorCode?: string;
  errorMessage?: string;
  requestParameters?: Record<string, unknown> | null;
  responseElements?: Record<string, unknown> | null;
  additionalEventData?: Record<string, unknown>;
  requestID?: string;
  eventID?: string;
  eventType?: string;
  readOnly?: boolean;
  recipientAccountId?: string;
  sharedEventID?: string;
  vpcEndpointId?: string;
  tlsDetails?: { tlsVersion?: string; cipherSuite?: string; clientProvidedHostHeader?: string };
  [key: string]: unknown;
}

/** A file (or part of one) that could not be read, with the reason and, when known, the byte offset. */
export interface Skipped {
  file: string;
  reason: string;
}

/** The few fields the fast scanner lifts from a record without `JSON.parse` (enough for `summary`). */
export interface FastFields {
  eventTime?: string;
  eventSource?: string;
  eventName?: string;
  awsRegion?: string;
  userAgent?: string;
  errorCode?: string;
  /** `userIdentity.arn`. */
  principal?: string;
  /** `userIdentity.invokedBy` (AWS service calls). */
  invokedBy?: string;
  /** `userIdentity.type`. */
  identityType?: string;
  /** The record has an `errorMessage` (some failures carry no `errorCode`, e.g. ConsoleLogin). */
  hasErrorMessage?: boolean;
  /** `sourceIPAddress` (wide lift only: `sessions`). */
  sourceIPAddress?: string;
  /** `sessionCredentialFromConsole` is "true" (wide lift only). */
  console?: boolean;
  /** The raw JSON text of `userIdentity` (wide lift only): parsed alone, never the whole record. */
  identity?: string;
}

/** A kind of record some analyses read alone. */
export type RecordKind = "failure" | "denied" | "change";

/** Options common to every reader. */
export interface ReadOptions {
  /** Inclusive lower bound on eventTime (ISO 8601 or epoch ms). */
  since?: string | number;
  /** Inclusive upper bound on eventTime. */
  until?: string | number;
  /** Keep only these regions (awsRegion); also prunes S3-layout folders. */
  regions?: string[];
  /**
   * Cheap raw-text filter applied to a record's text before `JSON.parse`: the record is parsed only when the
   * text contains one of these strings (e.g. `["\"errorCode\""]` when only failures matter).
   */
  mustContain?: string[];
  /**
   * Read only records of these kinds (failures, access denials, access changes): the others are counted but not
   * parsed. For analyses that look at nothing else.
   */
  only?: RecordKind[];
  /** Worker threads to use: 0 = in this thread; undefined = automatic (many or large files, built code). */
  workers?: number;
  /** Called with (files read so far, total files) as files are read, for a progress bar. */
  onProgress?: (done: number, total: number) => void;
  /** How much earlier than a S3 folder/file time events may be (delivery delay, docs/aws-facts.md §6.3). Default 1 h. */
  deliverySlackMs?: number;
}
