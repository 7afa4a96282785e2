// Filling cause-command placeholders from the diagnosis facts; key ids and unknown names stay placeholders.
import { describe, expect, it } from "vitest";
import { fillPlaceholders, placeholderValues } from "../../src/diagnose/placeholders.js";

describe("placeholders", () => {
  it("fills role, account and API id from an assumed-role principal and an AppSync resource", () => {
    const v = placeholderValues({
      principal:
        "arn:aws:sts::483920175566:assumed-role/Cognito_TaskListAuth_Role/CognitoIdentityCredentials",
      resource:
        "arn:aws:appsync:ap-northeast-1:483920175566:apis/r7k2mq4xbzfwdh3nvyt5pelca4/types/Query/fields/x",
      region: "ap-northeast-1",
    });
    expect(
      fillPlaceholders(
        "aws iam get-role --role-name <role-name> && aws appsync get-graphql-api --api-id <api-id> --region <region> # <account-id>",
        v,
      ),
    ).toBe(
      "aws iam get-role --role-name Cognito_TaskListAuth_Role && aws appsync get-graphql-api --api-id r7k2mq4xbzfwdh3nvyt5pelca4 --region ap-northeast-1 # 483920175566",
    );
    expect(v.get("role-arn")).toBe("arn:aws:iam::483920175566:role/Cognito_TaskListAuth_Role");
  });

  it("fills the user name of an IAM user; key ids and unknown names stay as they are", () => {
    const v = placeholderValues({ principal: "arn:aws:iam::562871049330:user/path/svc-report-exporter" });
    expect(fillPlaceholders("--user-name <user-name> --access-key-id <access-key-id> <nope>", v)).toBe(
      "--user-name svc-report-exporter --access-key-id <access-key-id> <nope>",
    );
  });

  it("leaves text alone when nothing is known", () => {
    expect(fillPlaceholders("aws s3api get-bucket-policy --bucket <bucket>", placeholderValues({}))).toBe(
      "aws s3api get-bucket-policy --bucket <bucket>",
    );
  });
});
