import { eq } from "drizzle-orm";
import type { ActionHandler } from "../../../../src/lib/quickback/routes/actions.js";
import type { TicketsActionInput } from "../../../../src/features/tickets/tickets.actions.js";
import { tickets } from "../../../../src/features/tickets/tickets.schema.js";

const cell = (value: unknown) => `"${String(value ?? "").replace(/"/g, '""')}"`;

/** A Response is sent as is (not masked): this action is for admins, who see every column. */
export const execute: ActionHandler<TicketsActionInput<"exportCsv">> = async ({ db }) => {
  const rows = await db.select().from(tickets).where(eq(tickets.done, false)).orderBy(tickets.createdAt);
  const lines = [["id", "title", "priority", "customerEmail"].join(","), ...rows.map((r: typeof tickets.$inferSelect) => [r.id, r.title, r.priority, r.customerEmail].map(cell).join(","))];
  return new Response(lines.join("\n") + "\n", {
    headers: { "content-type": "text/csv; charset=utf-8", "content-disposition": 'attachment; filename="tickets.csv"' },
  });
};
