import { describe, expect, it } from 'vitest';
import type { Output } from '../../../../shared/contract';
import { FakeApi, settle } from '../../testing/fake-api';
import { EvidenceFollower, type EvidenceTarget } from './evidence-follower.svelte';

const reply = (labelId: number, start: number): Output<'evidence.get'> => ({ modelId: 7, labels: [{ labelId, score: 0.9, spans: [{ start, end: start + 4, weight: 1 }], terms: [], similar: [{ docId: 40 + labelId, similarity: 0.5, excerpt: 'a coded case' }] }] });

/** Evidence replies wait until released, in the order they were asked. */
function setup(): { api: FakeApi; release: (r: Output<'evidence.get'>) => void; follower: EvidenceFollower; target: { now: EvidenceTarget | null } } {
  const waiting: ((r: Output<'evidence.get'>) => void)[] = [];
  const api = new FakeApi().handle('evidence.get', () => new Promise((r) => waiting.push(r)));
  const target: { now: EvidenceTarget | null } = { now: { docId: 1, labelId: 11, modelId: 7 } };
  const follower = new EvidenceFollower(api, () => 'p', () => target.now);
  return { api, release: (r) => waiting.shift()?.(r), follower, target };
}

describe('EvidenceFollower', () => {
  it('asks once for the row the cursor stops on, and shows it from the cache after', async () => {
    const { api, release, follower, target } = setup();
    follower.follow();
    target.now = { docId: 1, labelId: 12, modelId: 7 };
    follower.follow();
    await settle(80);
    expect(api.callsOf('evidence.get')).toEqual([{ projectId: 'p', docId: 1, labelIds: [12], k: 8 }]);
    release(reply(12, 3));
    await settle();
    expect(follower.current).toEqual({ docId: 1, labelId: 12, spans: [{ start: 3, end: 7, weight: 1 }], terms: [], similar: [{ docId: 52, similarity: 0.5, excerpt: 'a coded case' }] });
    follower.clear();
    follower.follow();
    expect(follower.current?.labelId).toBe(12);
    expect(api.callsOf('evidence.get')).toHaveLength(1);
  });

  it('a reply for a row left behind is cached, not shown', async () => {
    const { api, release, follower, target } = setup();
    follower.follow();
    await settle(80);
    target.now = { docId: 1, labelId: 12, modelId: 7 };
    release(reply(11, 0));
    await settle();
    expect(follower.current).toBeNull();
    target.now = { docId: 1, labelId: 11, modelId: 7 };
    follower.follow();
    expect(follower.current?.labelId).toBe(11);
    expect(api.callsOf('evidence.get')).toHaveLength(1);
  });

  it('a reply asked before a model change is neither shown nor cached', async () => {
    const { api, release, follower } = setup();
    follower.follow();
    await settle(80);
    follower.modelChanged();
    release(reply(11, 0));
    await settle();
    expect(follower.current).toBeNull();
    follower.follow(); // the same key: asked again, not served from a stale cache entry
    await settle(80);
    expect(api.callsOf('evidence.get')).toHaveLength(2);
  });

  it('switched off, it asks nothing', async () => {
    const { api, follower } = setup();
    follower.toggle();
    expect(follower.enabled).toBe(false);
    await settle(80);
    expect(api.callsOf('evidence.get')).toHaveLength(0);
  });
});
