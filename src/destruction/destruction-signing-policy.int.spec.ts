import { people } from '../../test/support/people';
import { startTestApp, type TestApp } from '../../test/support/test-app';
import { DEFAULT_DESTRUCTION_SIGNING_POLICY } from './destruction-signing.policy';
import { fileAndRelease, post, signAll, SIGNERS } from './destruction-flow.spec-helper';
import { expiredSalesRecord } from './destruction.fixtures.spec-helper';

const { version: _v, ...draft } = DEFAULT_DESTRUCTION_SIGNING_POLICY;

describe('the destruction signing policy (D3) over HTTP', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await startTestApp();
  });
  afterEach(() => t.close());

  it('D3: version 1 is the shipped default with the six capacities', async () => {
    const policy = await t.request({
      method: 'GET',
      url: '/policies/destruction-signing',
      as: people.salesperson,
    });
    expect(policy.status).toBe(200);
    expect(policy.body).toEqual(DEFAULT_DESTRUCTION_SIGNING_POLICY);
  });

  it('D3: an administrator adopts a new version; lists drafted before keep theirs, new lists take the new one', async () => {
    const record = expiredSalesRecord(1);
    await fileAndRelease(t, record);
    const drafted = await post(t, '/destruction-lists', people.archivist, {
      title: '旧清册',
      businessUnit: 'SALES',
    });
    const oldList = drafted.body.listId as string;
    await post(t, `/destruction-lists/${oldList}/items`, people.archivist, {
      archiveCode: record.archiveCode,
    });

    const adopted = await t.request({
      method: 'PUT',
      url: '/policies/destruction-signing',
      as: people.administrator,
      body: {
        basedOnVersion: 1,
        policy: { ...draft, signatures: draft.signatures.slice(0, 3) },
        reason: '精简签署',
      },
    });
    expect(adopted.status).toBe(200);
    expect(adopted.body).toMatchObject({ version: 2, events: ['DestructionSigningPolicyAdopted'] });

    // The old list still needs all six.
    await signAll(t, oldList, SIGNERS.slice(0, 3));
    const old = await t.store.readStream(`destruction-${oldList}`);
    expect(old.map((e) => e.type)).not.toContain('DestructionListApproved');

    const fresh = await post(t, '/destruction-lists', people.archivist, {
      title: '新清册',
      businessUnit: 'SALES',
    });
    const first = (await t.store.readStream(`destruction-${fresh.body.listId}`))[0];
    expect(first.data).toMatchObject({ policy: { version: 2 } });
    expect(first.metadata.policyVersion).toBe(2);
  });

  it('D3: a policy asking for an unknown role, a duplicate capacity, or from a stale version is refused; nothing written', async () => {
    const before = await t.eventCount();
    const invalid = await t.request({
      method: 'PUT',
      url: '/policies/destruction-signing',
      as: people.administrator,
      body: {
        basedOnVersion: 1,
        policy: { ...draft, signatures: [draft.signatures[0], { ...draft.signatures[0], role: 'borrower' }] },
        reason: '错误',
      },
    });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error).toBe('POLICY_INVALID');
    expect(invalid.body.fields.map((f: { field: string }) => f.field)).toEqual([
      'policy.signatures[1].capacity',
      'policy.signatures[1].role',
    ]);
    const stale = await t.request({
      method: 'PUT',
      url: '/policies/destruction-signing',
      as: people.administrator,
      body: { basedOnVersion: 2, policy: draft, reason: '过期' },
    });
    expect(stale.status).toBe(409);
    expect(stale.body.error).toBe('POLICY_VERSION_MOVED');
    const notAdmin = await t.request({
      method: 'PUT',
      url: '/policies/destruction-signing',
      as: people.archiveHead,
      body: { basedOnVersion: 1, policy: draft, reason: '越权' },
    });
    expect(notAdmin.status).toBe(403);
    expect(await t.eventCount()).toBe(before);
  });
});
