// APP_AUTH_MODE: the client uses another auth mode than the API expects — AppSync modes, API Gateway authorizers (§1.5, §1.6, §1.17, §5.4).

import { defineCause, Scorer } from "./define.js";
import { codeIs, factsOf, has } from "./facts.js";
import { appsyncFailure, missingAuthToken } from "./signatures.js";

export default defineCause({
  id: "APP_AUTH_MODE",
  title: "The client uses another auth mode than the API expects",
  summary:
    "AppSync (apiKey, userPool, iam, oidc, lambda) and API Gateway (IAM, Cognito, Lambda authorizer) accept only configured modes; a request signed or tokened another way is refused.",
  score(e) {
    const f = factsOf(e);
    const s = new Scorer();
    const appsync = appsyncFailure(f);
    s.when(
      appsync && has(f, /UnauthorizedException/i) && has(f, /Permission denied/i),
      0.55,
      "AppSync refused the request's auth mode as a whole (401 Permission denied)",
      { group: "mode" },
    );
    s.when(
      appsync && has(f, /Not Authorized to access \S+ on type \S+/i),
      0.5,
      "the field's directives (@aws_iam, @aws_api_key, @aws_cognito_user_pools...) exclude this auth mode",
      { group: "mode" },
    );
    s.when(has(f, /authMode/), 0.5, "Amplify suggests setting authMode to the backend rule's provider", {
      group: "mode",
    });
    s.when(
      appsync && /^Unauthorized$/i.test(f.message.trim()),
      0.4,
      "Amplify rewrote an AppSync auth error to `Unauthorized`",
      {
        group: "mode",
      },
    );
    const clientSide: [RegExp, number, string][] = [
      [/No api-key configured/i, 0.85, "apiKey mode without an API key configured"],
      [/No federated jwt/i, 0.65, "oidc/userPool mode without a token"],
      [/No current user/i, 0.55, "userPool mode with nobody signed in"],
      [/No auth token specified/i, 0.8, "lambda mode without an authorization token"],
      [/Valid authorization header not provided/i, 0.7, "AppSync got no Authorization header it accepts"],
      [/Unable to parse JWT token/i, 0.5, "AppSync could not read the JWT (wrong token type or mode)"],
      [/You are not authorized to make this call/i, 0.45, "AppSync refused this auth mode"],
      [
        /in Authorization header: 'Bearer/i,
        0.85,
        "a Bearer token was sent to an IAM (SigV4) authorised endpoint",
      ],
      [
        /Authorization header requires 'Credential' parameter[\s\S]*Authorization=ey/i,
        0.75,
        "a JWT was sent where SigV4 is required",
      ],
    ];
    for (const [re, w, text] of clientSide) s.when(has(f, re), w, text, { group: "mode" });
    s.when(
      has(f, /Authorization header requires 'Credential' parameter/i),
      0.35,
      "the endpoint expects SigV4 but the Authorization header is something else",
      { group: "mode" },
    );
    s.when(
      missingAuthToken(f) && !has(f, /valid \(registered\)/i),
      0.35,
      "an unsigned call to an AWS_IAM method gets `Missing Authentication Token`",
      {
        group: "mode",
      },
    );
    s.when(
      has(f, /\{\s*"message"\s*:\s*"Unauthorized"\s*\}/i) || (codeIs(f, "unauthorized") && !appsync),
      0.5,
      "API Gateway's Cognito/Lambda authorizer rejected the token",
      { group: "mode" },
    );
    return s.result();
  },
  checks: () => [
    {
      text: "list the API's default and additional auth modes and compare with the client's",
      command:
        "aws appsync get-graphql-api --api-id <api-id> --query 'graphqlApi.[authenticationType,additionalAuthenticationProviders]'",
    },
    {
      text: "check the schema directives of the field (@aws_iam, @aws_api_key, @aws_cognito_user_pools, @aws_oidc, @aws_lambda)",
      command: "aws appsync get-introspection-schema --api-id <api-id> --format SDL schema.graphql",
    },
    {
      text: "API Gateway: see the method's authorization type",
      command:
        "aws apigateway get-method --rest-api-id <api-id> --resource-id <resource-id> --http-method <METHOD> --query authorizationType",
    },
  ],
  fix: () => ({
    summary: "call with an auth mode the API (and the field) accepts",
    steps: [
      "Amplify: set `authMode` in generateClient()/the call to the rule's provider (apiKey, userPool, iam, oidc, lambda)",
      "or add the client's mode to the API and the field's directive",
      "API Gateway IAM methods: sign with SigV4 (service execute-api) instead of sending a JWT",
    ],
    commands: [],
  }),
});
