/**
 * @module compiler/validate/rules/account-pages-rule
 * Browser-facing targets: `auth.loginUrl` / `auth.profileUrl` (seed 004) must be absolute http(s)
 * URLs or root paths, and say so when no emitted route redirects to them (the sign-in page is
 * used by the oauthProvider plugin; no route reads the profile page while the CMS is not built).
 * The oauthProvider's seed options: `loginPage` / `consentPage` are paths (or URLs) on
 * ACCOUNT_URL, `validAudiences` a non-empty list of URLs, `scopes` a list of names.
 */
import type { Diagnostic } from '../../../shared/diagnostics.js';
import { warning } from '../../../shared/diagnostics.js';
import type { LoadedProject } from '../../load/types.js';
import { configError } from '../project.js';
import { isRecord, valueAtDotted } from '../util.js';

const isUrl = (value: string) => /^https?:\/\/[^\s/]+/.test(value) && URL.canParse(value);
const isPage = (value: unknown) => typeof value === 'string' && (value.startsWith('/') || isUrl(value));

function oauthEnabled(plugins: unknown): boolean {
  return Array.isArray(plugins)
    ? plugins.includes('oauthProvider')
    : isRecord(plugins) && plugins.oauthProvider !== undefined && plugins.oauthProvider !== false;
}

export function accountPagesRule(project: LoadedProject): Diagnostic[] {
  const out: Diagnostic[] = [];
  const plugins = valueAtDotted(project.config, 'providers.auth.options.plugins');
  const where = (at: string, hint: string) => ({ file: project.configFile, at, hint });
  for (const key of ['loginUrl', 'profileUrl'] as const) {
    const value = valueAtDotted(project.config, `auth.${key}`);
    if (value === undefined) continue;
    if (!isPage(value)) {
      out.push(
        configError(
          project,
          'QB_VALIDATE_INVALID_OPTION',
          `auth.${key} must be an absolute http(s) URL or a path starting with /`,
          `auth.${key}`,
          `For example "https://auth.example.com/${key === 'loginUrl' ? 'login' : 'profile'}".`,
        ),
      );
    } else if (key === 'profileUrl' || !oauthEnabled(plugins)) {
      out.push(
        warning(
          'QB_WARN_OPTION_NO_EFFECT',
          `auth.${key} has no effect yet: no emitted browser route redirects to it${
            key === 'loginUrl' ? " (the oauthProvider plugin's sign-in redirect does)" : ' (the CMS is not built)'
          }`,
          where(`auth.${key}`, 'Keep it for when those routes exist, or remove it.'),
        ),
      );
    }
  }
  const oauth = valueAtDotted(project.config, 'providers.auth.options.plugins.oauthProvider');
  if (!isRecord(oauth)) return out;
  const at = 'providers.auth.plugins.oauthProvider';
  for (const page of ['loginPage', 'consentPage']) {
    if (oauth[page] !== undefined && !isPage(oauth[page]))
      out.push(
        configError(
          project,
          'QB_VALIDATE_INVALID_OPTION',
          `${page} must be a path on ACCOUNT_URL (starting with /) or an absolute URL`,
          `${at}.${page}`,
          `The default is "/${page === 'loginPage' ? 'login' : 'consent'}".`,
        ),
      );
  }
  const audiences = oauth.validAudiences;
  if (
    audiences !== undefined
    && !(Array.isArray(audiences) && audiences.length > 0 && audiences.every((a) => typeof a === 'string' && isUrl(a)))
  ) {
    out.push(
      configError(
        project,
        'QB_VALIDATE_INVALID_OPTION',
        'validAudiences must be a non-empty list of absolute URLs',
        `${at}.validAudiences`,
        'Leave it out to use BETTER_AUTH_URL, or write ["https://api.example.com"].',
      ),
    );
  }
  if (
    oauth.scopes !== undefined
    && !(Array.isArray(oauth.scopes) && oauth.scopes.every((s) => typeof s === 'string' && /^\S+$/.test(s)))
  ) {
    out.push(
      configError(
        project,
        'QB_VALIDATE_INVALID_OPTION',
        'scopes must be a list of scope names',
        `${at}.scopes`,
        'For example ["openid", "profile", "email", "offline_access"].',
      ),
    );
  }
  return out;
}
