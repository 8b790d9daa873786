/** Organizations and memberships for conformance suites, through Better Auth's own client. */
import { signUp, type Caller, type FetchLike } from './client.js';

export type User = Caller & { userId: string; email: string };

export async function createOrg(user: User, name: string): Promise<string> {
  const { data, error } = await user.auth.organization.create({
    name,
    slug: `${name.toLowerCase()}-${Math.random().toString(36).slice(2, 8)}`,
  });
  if (error || !data) throw new Error(`create org failed: ${JSON.stringify(error)}`);
  await user.auth.organization.setActive({ organizationId: data.id });
  return data.id;
}

export async function addMember(
  owner: User,
  member: User,
  organizationId: string,
  role: 'member' | 'admin',
): Promise<void> {
  const invite = await owner.auth.organization.inviteMember({ email: member.email, role, organizationId });
  if (invite.error || !invite.data) throw new Error(`invite failed: ${JSON.stringify(invite.error)}`);
  const accepted = await member.auth.organization.acceptInvitation({ invitationId: invite.data.id });
  if (accepted.error) throw new Error(`accept failed: ${JSON.stringify(accepted.error)}`);
  await member.auth.organization.setActive({ organizationId });
}

export function signUpAll(fetch: FetchLike, baseURL: string, names: string[]): Promise<User[]> {
  return Promise.all(names.map((n) => signUp(fetch, baseURL, n)));
}
