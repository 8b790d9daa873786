import { feature, q } from "@quickback/compiler";

export default feature("ticketComments", {
  columns: {
    id: q.id(),
    ticketId: q.text().required().references("tickets", { onDelete: "cascade" }),
    body: q.text({ maxLength: 2000 }).required(),
    organizationId: q.scope("organization"),
  },
  read: { access: { roles: ["member+"] } },
  create: { access: { roles: ["member+"] } },
  update: { access: { roles: ["owner"] } },
  delete: { access: { roles: ["owner"] }, mode: "hard" },
});
