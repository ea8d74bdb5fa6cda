import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { AuditTrail } from '../../shared/audit/audit-trail.js';
import { InvalidCursorError } from '../../shared/domain/pagination.js';
import { createDocumentClient } from '../../shared/aws/clients.js';
import { targetClients } from '../support/aws.js';
import { testPseudonymiser } from '../support/pseudonymiser.js';
import { targetValue } from '../support/target.js';

// The access log read from the audit trail's subject index on DynamoDB Local.
const { dynamodb } = targetClients();
const doc = createDocumentClient(dynamodb);
afterAll(() => dynamodb.destroy());

const entry = (subjectNiss: string, purpose: string, organisation?: string) => ({
  purpose,
  deliberation: '24/012',
  requestId: randomUUID(),
  actorRole: 'citizen',
  ...(organisation ? { actorOrganisation: organisation } : {}),
  outcome: 'ALLOWED' as const,
  status: 200,
  subjectNiss,
});

describe('the access log on the audit trail', () => {
  it('lists only the subject’s own accesses, newest first, in pages, across key versions, without any person or NISS', async () => {
    const key = `access-log-${randomUUID()}`;
    let clock = Date.parse('2026-01-01T10:00:00Z');
    const at = () => {
      clock += 60_000;
      return new Date(clock);
    };
    const before = new AuditTrail(doc, targetValue('AUDIT_TABLE'), testPseudonymiser({ v1: key }), at);
    await before.record(entry('85073003328', 'P1', 'MYCAREER'));
    await before.record(entry('87091520373', 'OTHER_PERSON'));
    await before.record(entry('85073003328', 'P2', 'ACTIRIS'));
    // A rotation: v2 current, v1 still accepted.
    const after = new AuditTrail(doc, targetValue('AUDIT_TABLE'), testPseudonymiser({ v2: `${key}-2`, v1: key }), at);
    await after.record(entry('85073003328', 'P3', 'DWSE:competenties'));
    // A refusal before authentication names no one: not in anyone's log.
    await after.record({ purpose: 'P4', deliberation: '24/012', requestId: randomUUID(), actorRole: 'anonymous', outcome: 'DENIED', status: 401 });

    const first = await after.accessesTo('85073003328', { limit: 2 });
    expect(first.items.map((i) => i.purpose)).toEqual(['P3', 'P2']);
    expect(first.items[0]).toEqual({
      at: expect.stringMatching(/^2026-01-01T10:/),
      purpose: 'P3',
      deliberation: '24/012',
      actorRole: 'citizen',
      actorOrganisation: 'DWSE:competenties',
      outcome: 'ALLOWED',
    });
    const second = await after.accessesTo('85073003328', { limit: 2, cursor: first.next! });
    expect(second).toEqual({ items: [expect.objectContaining({ purpose: 'P1' })] });
    expect(JSON.stringify([first, second])).not.toMatch(/85073003328|subjectHash|requestId/);
    expect((await after.accessesTo('87091520373', { limit: 10 })).items.map((i) => i.purpose)).toEqual(['OTHER_PERSON']);
    // Before the rotation, the v2 record cannot be found (its key was not known yet).
    expect((await before.accessesTo('85073003328', { limit: 10 })).items.map((i) => i.purpose)).toEqual(['P2', 'P1']);
  });

  it('refuses a cursor it did not give', async () => {
    const trail = new AuditTrail(doc, targetValue('AUDIT_TABLE'), testPseudonymiser());
    for (const cursor of ['x', Buffer.from('AUDIT#P#2026').toString('base64url'), Buffer.from('2026-01-01T00:00:00Z#a#b').toString('base64url')]) {
      await expect(trail.accessesTo('85073003328', { limit: 1, cursor }), cursor).rejects.toBeInstanceOf(InvalidCursorError);
    }
  });
});
