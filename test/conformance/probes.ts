/** A tableless actions file (`probes`) whose handler throws ActionError, for the actions conformance suite. */
export const PROBES = {
  'quickback/features/probes/actions.ts': `import { defineActions } from "@quickback/compiler";
import { z } from "zod";
export default defineActions(null, {
  refuse: { description: "Always refuses", standalone: true, path: "/probes/refuse", input: z.object({ status: z.number().int() }), handler: "./handlers/refuse" },
});
`,
  'quickback/features/probes/handlers/refuse.ts': `import { ActionError, type ActionHandler } from "../../../../src/lib/quickback/routes/actions.js";
import type { StandaloneActionInput } from "../../../../src/actions/standalone.js";
export const execute: ActionHandler<StandaloneActionInput<"refuse">> = async ({ input }) => {
  throw new ActionError("Refused on purpose", "PROBE_REFUSED", input.status, { status: input.status });
};
`,
};
