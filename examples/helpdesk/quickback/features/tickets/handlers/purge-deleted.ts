import { and, isNotNull, lt } from "drizzle-orm";
import type { ActionHandler } from "../../../../src/lib/quickback/routes/actions.js";
import type { TicketsActionInput } from "../../../../src/features/tickets/tickets.actions.js";
import { tickets } from "../../../../src/features/tickets/tickets.schema.js";

/** Runs only after its audit event was stored; `unsafeDb` is not scoped to a tenant. */
export const execute: ActionHandler<TicketsActionInput<"purgeDeleted">> = async ({ unsafeDb, input }) => {
  const cutoff = new Date(Date.now() - input.olderThanDays * 86_400_000).toISOString();
  const removed = await unsafeDb!.delete(tickets).where(and(isNotNull(tickets.deletedAt), lt(tickets.deletedAt, cutoff))).returning({ id: tickets.id });
  return { removed: removed.length };
};
