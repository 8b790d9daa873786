import { feature, q } from "@quickback/compiler";

export default feature("tickets", {
  columns: {
    id: q.id(),
    title: q.text({ maxLength: 140 }).required().searchable(),
    priority: q.enum(["low", "normal", "urgent"]).default("normal").required().filterable("eq", "in"),
    estimate: q.integer({ min: 0, max: 1000 }).optional().filterable(),
    done: q.boolean().default(false).filterable("eq"),
    dueAt: q.timestamp().optional(),
    assigneeId: q.text().optional(),
    customerEmail: q.email().optional().filterable("eq"),
    organizationId: q.scope("organization"),
  },
  // Who may write which field: priority changes only through the escalate action.
  guards: {
    createable: ["title", "estimate", "dueAt", "assigneeId"],
    updatable: ["title", "estimate", "done", "dueAt", "assigneeId"],
    immutable: ["customerEmail"],
    protected: { priority: ["escalate"] },
  },
  // Members see j***@e***.com; admins and owners see the address (and may filter by it).
  masking: {
    customerEmail: { type: "email", show: { roles: ["admin+"] } },
  },
  read: { access: { roles: ["member+"] } },
  crud: {
    create: { access: { roles: ["member+"] } },
    update: {
      access: {
        or: [{ roles: ["admin+"] }, { roles: ["member"], record: { assigneeId: { equals: "$ctx.userId" } } }],
      },
    },
    delete: { access: { roles: ["admin+"] }, mode: "soft" },
  },
});
