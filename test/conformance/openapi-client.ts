/**
 * The typed client of the OpenAPI client suite, as source: written next to the types that
 * openapi-typescript generates from the app's /openapi.json (`./api.js`), type-checked with
 * `tsc --strict`, then run against the app. It calls list, create, get, PATCH, DELETE, batch, a
 * view and actions through openapi-fetch and reads typed fields, without a single cast. `BAD` holds
 * mistakes the types must catch, one per line marked `// error`.
 */
export const CLIENT = `import createClient from "openapi-fetch";
import type { paths } from "./api.js";

export async function run(baseUrl: string, fetch: (request: Request) => Promise<Response>, cookie: string) {
  const api = createClient<paths>({ baseUrl, fetch, headers: { cookie, origin: baseUrl } });
  const created = await api.POST("/api/v1/tickets", { body: { title: "Typed", estimate: 2 } });
  if (!created.data) throw new Error("create failed: " + created.response.status);
  const id: string = created.data.id;
  const priority: "low" | "normal" | "urgent" = created.data.priority;
  const got = await api.GET("/api/v1/tickets/{id}", { params: { path: { id } } });
  const title: string | undefined = got.data?.title;
  const patched = await api.PATCH("/api/v1/tickets/{id}", { params: { path: { id } }, body: { estimate: 8 } });
  const estimate: number | null | undefined = patched.data?.estimate;
  const stale = await api.PATCH("/api/v1/tickets/{id}", { params: { path: { id }, header: { "If-Match": 'W/"0000000000000000"' } }, body: { estimate: 9 } });
  const precondition: string | undefined = stale.error?.code;
  const chained = await api.PATCH("/api/v1/tickets/{id}", { params: { path: { id }, header: { "If-Match": patched.response.headers.get("ETag") ?? "" } }, body: { estimate: 8 } });
  const list = await api.GET("/api/v1/tickets", { params: { query: { limit: 10, total: true, "priority.in": "low,normal" } } });
  const titles: string[] = (list.data?.data ?? []).map((row) => row.title ?? "");
  const total: number | undefined = list.data?.pagination.total;
  const batch = await api.POST("/api/v1/notes/batch", { body: { records: [{ body: "one" }, { body: "two", pinned: true }] } });
  const succeeded: number | undefined = batch.data?.meta.succeeded;
  const note = batch.data?.success[1];
  const pinned: boolean | null | undefined = note?.pinned;
  const thread = await api.GET("/api/v1/ticket-comments/views/thread", { params: { query: { ticketId: id } } });
  const view: string | null | undefined = thread.data?.view;
  const counted = await api.GET("/api/v1/tickets/open-count", { params: { query: { assigneeId: undefined } } });
  const open: number | undefined = counted.data?.open;
  const escalated = await api.POST("/api/v1/tickets/{id}/escalate", { params: { path: { id } }, body: { reason: "Typed client" } });
  const urgent: "urgent" | undefined = escalated.data?.priority;
  const csv = await api.GET("/api/v1/tickets/export", { parseAs: "text" });
  const rows: string[] = (csv.data ?? "").trim().split("\\n");
  const missing = await api.GET("/api/v1/tickets/{id}", { params: { path: { id: "tkt_missing" } } });
  const code: string | undefined = missing.error?.code;
  const removed = await api.DELETE("/api/v1/tickets/{id}", { params: { path: { id } } });
  const success: true | undefined = removed.data?.success;
  return { id, priority, title, estimate, titles, total, succeeded, pinned, view, open, urgent, rows, code, success, precondition, statuses: [created, got, patched, list, batch, thread, counted, escalated, csv, missing, removed, stale, chained].map((r) => r.response.status) };
}
`;

export const BAD = `import createClient from "openapi-fetch";
import type { paths } from "./api.js";

export async function mistakes(api: ReturnType<typeof createClient<paths>>) {
  await api.POST("/api/v1/tickets", { body: { title: 7 } }); // error
  await api.POST("/api/v1/tickets", { body: { estimate: 3 } }); // error
  await api.GET("/api/v1/tickets/{id}", {}); // error
  await api.PUT("/api/v1/tickets/{id}", { params: { path: { id: "x" } } }); // error
  await api.PATCH("/api/v1/tickets/{id}", { params: { path: { id: "x" }, header: { "If-Match": 7 } }, body: {} }); // error
  const counted = await api.GET("/api/v1/tickets/open-count", {});
  const open: string | undefined = counted.data?.open; // error
  const escalated = await api.POST("/api/v1/tickets/{id}/escalate", { params: { path: { id: "x" } }, body: { reason: "why" } });
  const priority: "low" | undefined = escalated.data?.priority; // error
  return { open, priority };
}
`;
