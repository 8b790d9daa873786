import type { ActionHandler } from "../../../../src/lib/quickback/routes/actions.js";
import type { TicketsActionInput } from "../../../../src/features/tickets/tickets.actions.js";
import { ticketComments } from "../../../../src/features/ticket-comments/ticket-comments.schema.js";

/** The runtime has already moved priority to "urgent" (only one concurrent caller gets here). */
export const execute: ActionHandler<TicketsActionInput<"escalate">> = async ({ db, record, input }) => {
  // The scoped db stamps organizationId, createdBy and the id of the new comment.
  await db.insert(ticketComments).values({ ticketId: record!.id as string, body: `Escalated: ${input.reason}` });
  return record;
};
