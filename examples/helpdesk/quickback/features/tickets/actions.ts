import { defineActions } from "@quickback/compiler";
import { z } from "zod";
import tickets from "./tickets";

export default defineActions(tickets, {
  // POST /api/v1/tickets/:id/escalate — priority is protected: only this action changes it.
  escalate: {
    description: "Raise a ticket to urgent and leave a comment saying why",
    input: z.object({ reason: z.string().min(3).max(300) }),
    // The escalated ticket (every column comes back; these are the ones callers rely on).
    output: z.looseObject({ id: z.string(), title: z.string(), priority: z.literal("urgent") }),
    access: { roles: ["admin+"] },
    transition: { field: "priority", fromTo: { low: ["urgent"], normal: ["urgent"] }, to: "urgent" },
    handler: "./handlers/escalate",
  },
  // GET /api/v1/tickets/open-count?assigneeId=...
  openCount: {
    description: "Count the open tickets of the active organization",
    standalone: true, path: "/tickets/open-count", method: "GET",
    input: z.object({ assigneeId: z.string().max(255).optional() }),
    output: z.object({ open: z.number().int().min(0) }),
    access: { roles: ["member+"] },
    handler: "./handlers/open-count",
  },
  // GET /api/v1/tickets/export — a CSV file.
  exportCsv: {
    description: "Download the open tickets as CSV",
    standalone: true, path: "/tickets/export", method: "GET", responseType: "file", contentType: "text/csv",
    input: z.object({}),
    access: { roles: ["admin+"] },
    handler: "./handlers/export-csv",
  },
  // POST /api/v1/maintenance/purge-deleted-tickets — every organization; audited, platform admins only.
  purgeDeleted: {
    description: "Permanently remove tickets soft-deleted more than N days ago, in every organization",
    standalone: true, path: "/maintenance/purge-deleted-tickets",
    input: z.object({ olderThanDays: z.number().int().min(0).max(3650) }),
    output: z.object({ removed: z.number().int().min(0) }),
    unsafe: { reason: "Retention: hard-deletes soft-deleted tickets across tenants", adminOnly: true, crossTenant: true },
    handler: "./handlers/purge-deleted",
  },
});
