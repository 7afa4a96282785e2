import { describe, expect, it } from "vitest";
import { parseFailures } from "../../../src/errors/index.js";
import { type Case, check } from "../support.js";

const amplifyHint =
  "If you're calling an Amplify-generated API, make sure to set the \"authMode\" in generateClient({ authMode: '...' }) to the backend authorization rule's auth provider ('apiKey', 'userPool', 'iam', 'oidc', 'lambda')";

const cases: Case[] = [
  {
    name: "AppSync field not authorized (docs/aws-facts.md §1.17)",
    text: '{"data":{"listTodos":null},"errors":[{"path":["listTodos"],"data":null,"errorType":"Unauthorized","errorInfo":null,"locations":[{"line":2,"column":3,"sourceName":null}],"message":"Not Authorized to access listTodos on type Query"}]}',
    want: {
      format: "graphql",
      code: "Unauthorized",
      service: "appsync",
      action: "appsync:GraphQL",
      resource: "types/Query/fields/listTodos",
      hint: "GraphQL errorType `Unauthorized`",
    },
  },
  {
    name: "AppSync 401 UnauthorizedException",
    text: '{"errors":[{"errorType":"UnauthorizedException","message":"Permission denied"}]}',
    want: { format: "graphql", code: "UnauthorizedException", message: "Permission denied" },
  },
  {
    name: "subscription Connection failed prefix",
    text: 'Connection failed: {"errors":[{"errorType":"UnauthorizedException","message":"Permission denied"}]}',
    want: { code: "UnauthorizedException" },
  },
  {
    name: "Amplify v6 rewritten error (JSON)",
    text: JSON.stringify({
      data: {},
      errors: [{ message: "Unauthorized", recoverySuggestion: amplifyHint }],
    }),
    want: { format: "amplify", message: "Unauthorized", hint: amplifyHint },
  },
  {
    name: "Amplify v6 error printed by console.log (inspect)",
    text: `{
  data: {},
  errors: [
    {
      message: 'Unauthorized',
      recoverySuggestion: "If you're calling an Amplify-generated API, make sure to set the \\"authMode\\" in generateClient({ authMode: '...' }) to the backend authorization rule's auth provider ('apiKey', 'userPool', 'iam', 'oidc', 'lambda')"
    }
  ]
}`,
    want: { format: "amplify", message: "Unauthorized", hint: amplifyHint },
  },
  {
    name: "Amplify client-side error with recoverySuggestion (JSON)",
    text: '{"name":"NoCredentials","message":"No credentials","recoverySuggestion":"Make sure the user is signed in or Auth.Cognito.allowGuestAccess is true"}',
    want: { format: "amplify", code: "NoCredentials", message: "No credentials" },
  },
];

describe("GraphQL and Amplify", () => {
  it.each(cases.map((c) => [c.name, c] as const))("%s", (_n, c) => {
    check(c);
  });

  it("gives one failure per distinct GraphQL error", () => {
    const text = JSON.stringify({
      errors: [
        { errorType: "Unauthorized", message: "Not Authorized to access listTodos on type Query" },
        { errorType: "Unauthorized", message: "Not Authorized to access getTodo on type Query" },
        { errorType: "Unauthorized", message: "Not Authorized to access getTodo on type Query" },
      ],
    });
    const fs = parseFailures(text);
    expect(fs.map((f) => f.resource)).toEqual(["types/Query/fields/listTodos", "types/Query/fields/getTodo"]);
  });
});
