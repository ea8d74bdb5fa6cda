import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { assertOneClaim, overlapGroups, type RecordedRequest, replayer } from '../../bench/storage-recording.js';

const request = (operation: string, started: number, ended: number, body: object = {}): RecordedRequest => ({
  operation,
  body: JSON.stringify(body),
  started,
  ended,
});

describe('the pipeline baseline: one claim’s storage requests, recorded and replayed', () => {
  it('replays together the requests that overlapped when recorded, the others in order', () => {
    const groups = overlapGroups([
      request('PutItem', 0, 5),
      request('GetItem', 6, 9),
      request('GetItem', 7, 10),
      request('GetItem', 8, 12),
      request('TransactWriteItems', 12, 20),
    ]);
    expect(groups.map((g) => g.map((r) => `${r.operation}@${r.started}`))).toEqual([
      ['PutItem@0'],
      ['GetItem@6', 'GetItem@7', 'GetItem@8'],
      ['TransactWriteItems@12'],
    ]);
  });

  it('gives each replay fresh claim ids and pseudonyms, the same one wherever it recurs', async () => {
    const claimId = '4c2a7b52-d7fa-5fb6-853f-3fce285f963d';
    const subject = `v1:${'ab'.repeat(32)}`;
    const sent: { name: string; input: Record<string, unknown> }[] = [];
    const client = {
      send: async (command: { constructor: { name: string }; input: Record<string, unknown> }) =>
        void sent.push({ name: command.constructor.name, input: command.input }),
    };
    const replay = replayer(client as unknown as DynamoDBClient, [
      request('PutItem', 0, 1, { TableName: 't', Item: { pk: { S: `CLAIM#${claimId}` }, owner: { S: `WORKER#${subject}` } } }),
      request('GetItem', 2, 3, { TableName: 't', Key: { pk: { S: `CLAIM#${claimId}` } } }),
    ]);
    await replay();
    await replay();
    expect(sent.map((s) => s.name)).toEqual(['PutItemCommand', 'GetItemCommand', 'PutItemCommand', 'GetItemCommand']);
    const pks = sent.map((s) => ((s.input.Item ?? s.input.Key) as { pk: { S: string } }).pk.S);
    expect(pks[0]).toBe(pks[1]);
    expect(pks[2]).toBe(pks[3]);
    expect(new Set([pks[0], pks[2], `CLAIM#${claimId}`]).size).toBe(3);
    const owner = (sent[0]!.input.Item as { owner: { S: string } }).owner.S;
    expect(owner).toMatch(/^WORKER#v1:[0-9a-f]{64}$/);
    expect(owner).not.toBe(`WORKER#${subject}`);
  });

  it('refuses a recording it could not replay faithfully', () => {
    const client = {} as DynamoDBClient;
    expect(() => replayer(client, [])).toThrow(/no storage request/);
    expect(() => replayer(client, [request('ExecuteStatement', 0, 1)])).toThrow(/cannot replay ExecuteStatement/);
  });

  it('takes a recording only if it is one claim’s requests, each once', () => {
    const id = '4c2a7b52-d7fa-5fb6-853f-3fce285f963d';
    const other = '0d0e5b1c-1111-5fb6-853f-3fce285f963d';
    const get = (claim: string) => request('GetItem', 0, 1, { Key: { pk: { S: `CLAIM#${claim}` } } });
    const put = request('PutItem', 0, 1, { Item: { pk: { S: `CLAIM#${id}` }, status: { S: 'RECEIVED' } } });
    expect(() => assertOneClaim([put, get(id)], id)).not.toThrow();
    expect(() => assertOneClaim([put, get(id), get(other)], id)).toThrow(/other claims/);
    expect(() => assertOneClaim([put, get(id), get(id)], id)).toThrow(/twice/);
    expect(() => assertOneClaim([get(other)], id)).toThrow();
  });
});
