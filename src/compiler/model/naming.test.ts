import { describe, expect, it } from 'vitest';
import { columnName, idPrefix, kebabCase, plural, snakeCase } from './naming.js';

describe('naming', () => {
  it('snake-cases camelCase keys, acronyms and kebab names', () => {
    expect(snakeCase('organizationId')).toBe('organization_id');
    expect(snakeCase('createdAt')).toBe('created_at');
    expect(snakeCase('HTTPStatus')).toBe('http_status');
    expect(snakeCase('job-postings')).toBe('job_postings');
    expect(snakeCase('title')).toBe('title');
    expect(snakeCase('line2Address')).toBe('line2_address');
  });

  it('kebab-cases feature names for URLs', () => {
    expect(kebabCase('jobPostings')).toBe('job-postings');
    expect(kebabCase('tickets')).toBe('tickets');
  });

  it('honours the naming convention', () => {
    expect(columnName('dueAt', 'snake_case')).toBe('due_at');
    expect(columnName('dueAt', 'camelCase')).toBe('dueAt');
  });

  it('derives id prefixes like the public product (first letter + next two consonants)', () => {
    expect(idPrefix('candidates')).toBe('cnd');
    expect(idPrefix('applications')).toBe('app');
    expect(idPrefix('jobs')).toBe('jbs');
    expect(idPrefix('interviews')).toBe('int');
    expect(idPrefix('jobPostings')).toBe('jbP');
    expect(idPrefix('io')).toBe('io');
    expect(idPrefix('aeiou')).toBe('aei');
  });

  it('pluralises Better Auth model names', () => {
    expect(['user', 'session', 'account', 'verification', 'organization', 'member', 'invitation', 'apikey'].map(plural))
      .toEqual([
        'users',
        'sessions',
        'accounts',
        'verifications',
        'organizations',
        'members',
        'invitations',
        'apikeys',
      ]);
  });
});
