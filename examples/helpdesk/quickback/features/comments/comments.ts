import { feature, q } from "@quickback/compiler";

export default feature("ticketComments", {
  columns: {
    id: q.id(),
    ticketId: q.text().required().references("tickets", { onDelete: "cascade" }),
    body: q.text({ maxLength: 2000 }).required().searchable(),
    organizationId: q.scope("organization"),
  },
  read: {
    access: { roles: ["member+"] },
    // GET /api/v1/ticket-comments?ticketId=... lists a ticket's thread, oldest first.
    views: {
      thread: { fields: ["ticketId", "body", "createdAt", "createdBy"], query: { filterable: ["ticketId"], sortable: ["createdAt"], defaultSort: "createdAt" } },
      moderation: { fields: ["ticketId", "body", "createdBy", "deletedAt"], access: { roles: ["admin+"] } },
    },
    defaultView: "thread",
  },
  create: { access: { roles: ["member+"] } },
  update: { access: { roles: ["owner"] } },
  // Soft delete; deleting a ticket soft-deletes its comments too.
  delete: { access: { roles: ["admin+"] } },
});
