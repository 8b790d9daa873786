import { and, count, eq } from "drizzle-orm";
import type { ActionHandler } from "../../../../src/lib/quickback/routes/actions.js";
import type { TicketsActionInput } from "../../../../src/features/tickets/tickets.actions.js";
import { tickets } from "../../../../src/features/tickets/tickets.schema.js";

/** Counts through the scoped db: only the caller's organization, never deleted rows. */
export const execute: ActionHandler<TicketsActionInput<"openCount">> = async ({ db, input }) => {
  const [{ open }] = await db
    .select({ open: count() })
    .from(tickets)
    .where(and(eq(tickets.done, false), input.assigneeId ? eq(tickets.assigneeId, input.assigneeId) : undefined));
  return { open };
};
