/**
 * @module quickback/redirects
 * Where browser-facing routes send people (seed 004): the sign-in page for visitors who are not
 * signed in, the profile page for signed-in users who may not pass. Most specific wins: the
 * explicit `auth.loginUrl` / `auth.profileUrl`, then the account UI's own host
 * (`https://<account.domain>/login`, or ACCOUNT_URL), then the built-in `/account/login`.
 * `?redirect=` carries the original URL, unchanged, so the sign-in page can send the user back.
 */

export interface RedirectSettings {
  /** `auth.loginUrl`: an external sign-in surface. */
  loginUrl?: string;
  /** `auth.profileUrl`. */
  profileUrl?: string;
  /** The account UI's origin: `https://<account.domain>`, or ACCOUNT_URL at run time. */
  accountUrl?: string;
}

const present = (value: string | undefined): value is string => value !== undefined && value.trim() !== '';

function accountPage(settings: RedirectSettings, page: 'login' | 'profile'): string {
  const explicit = page === 'login' ? settings.loginUrl : settings.profileUrl;
  if (present(explicit)) return explicit.trim();
  if (present(settings.accountUrl)) return `${settings.accountUrl.trim().replace(/\/+$/, '')}/${page}`;
  return `/account/${page}`;
}

/** Appends `redirect=<url>` to `target`, keeping the target's own query and fragment. */
export function withRedirect(target: string, redirect: string): string {
  const hash = target.indexOf('#');
  const [base, fragment] = hash === -1 ? [target, ''] : [target.slice(0, hash), target.slice(hash)];
  return `${base}${base.includes('?') ? '&' : '?'}redirect=${encodeURIComponent(redirect)}${fragment}`;
}

/** The sign-in page; with `redirect`, the page to come back to afterwards. */
export function loginRedirect(settings: RedirectSettings, redirect?: string): string {
  const target = accountPage(settings, 'login');
  return redirect === undefined ? target : withRedirect(target, redirect);
}

/** The profile page (a signed-in user who fails a role check). */
export function profileRedirect(settings: RedirectSettings): string {
  return accountPage(settings, 'profile');
}
