import { feature, q } from "@quickback/compiler";

/** Personal notes: isolated per user, no organization needed. */
export default feature("notes", {
  columns: {
    id: q.id(),
    body: q.text().required(),
    pinned: q.boolean().default(false),
    ownerId: q.scope("owner"),
  },
});
