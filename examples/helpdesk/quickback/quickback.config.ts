import { defineAuth, defineConfig, defineDatabase, defineRuntime } from "@quickback/compiler";

export default defineConfig({
  name: "helpdesk",
  providers: {
    runtime: defineRuntime("node"),
    database: defineDatabase("better-sqlite3", { generateId: "prefixed" }),
    auth: defineAuth("better-auth", {
      session: { expiresInDays: 7, updateAgeInDays: 1 },
      emailAndPassword: { enabled: true, minPasswordLength: 10 },
    }),
  },
  features: { organizations: true },
  auth: { roleHierarchy: ["member", "admin", "owner"] },
});
