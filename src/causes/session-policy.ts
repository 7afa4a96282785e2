// SESSION_POLICY: a session policy passed at AssumeRole/federation restricts the action (§1.13, §1.14, §1.16, §5.2).

import { actionOf, allowSnippet, principalOf, resourceOf, trailTimeline } from "./commands.js";
import { defineCause, Scorer } from "./define.js";
import { iamChecks } from "./deny.js";
import { codeIs, factsOf } from "./facts.js";
import { cognitoGuestPrincipal } from "./signatures.js";

export default defineCause({
  id: "SESSION_POLICY",
  title: "A session policy restricts the session",
  summary:
    "The credentials were issued with a session policy (AssumeRole Policy/PolicyArns, GetFederationToken, Cognito's guest scope-down); the session can do only what both the role and that policy allow.",
  score(e) {
    const f = factsOf(e);
    const s = new Scorer();
    s.when(f.policyKind === "session", 0.88, "AWS names a session policy", { group: "deny" });
    s.when(
      cognitoGuestPrincipal(f) && f.denied,
      0.35,
      "Cognito guest (enhanced flow) credentials carry a scope-down session policy that allows only some services",
    );
    s.when(
      f.principal?.kind === "federated-user" || /:federated-user\//.test(f.principalArn ?? ""),
      0.2,
      "federation-token sessions always carry a session policy",
    );
    s.when(codeIs(f, "packedpolicytoolarge"), 0.5, "the session policy passed is too large");
    return s.result();
  },
  checks: (e) => {
    const f = factsOf(e);
    return iamChecks(f, [
      {
        text: "see the Policy / PolicyArns passed when the session was created (requestParameters of AssumeRole)",
        command: trailTimeline(factsOf(e)),
      },
      {
        text: "evaluate with the session policy",
        command: `authdoctor can --session-policy session.json --principal ${principalOf(f)} --action ${actionOf(f)} --resource ${resourceOf(f)}`,
      },
    ]).filter((c, i, all) => all.findIndex((d) => d.command === c.command) === i);
  },
  fix: (e) => {
    const diff = allowSnippet(factsOf(e));
    return {
      summary: "pass a session policy that includes the action, or none",
      steps: [
        "widen or drop the Policy/PolicyArns given to AssumeRole / GetFederationToken",
        "for Cognito guests: use the basic (classic) flow or a service on the scope-down list",
      ],
      commands: [],
      ...(diff ? { policyDiff: diff } : {}),
    };
  },
});
