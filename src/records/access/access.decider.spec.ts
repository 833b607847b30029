import { deciderSpecification } from '../../../test/support/decider-specification';
import { actorOf, people } from '../../../test/support/people';
import { accessDecider, viewIsRegistered, type RegisterDetailView } from './access.decider';

const CODE = 'Z001-WS-2024-D30-BGS-0009';
const spec = deciderSpecification(accessDecider, {
  actor: actorOf(people.engineer), // CONFIDENTIAL clearance
  now: new Date('2026-03-01T09:00:00Z'),
});

const view = (overrides: Partial<RegisterDetailView> = {}): RegisterDetailView => ({
  type: 'RegisterDetailView',
  archiveCode: CODE,
  purpose: '核对投标报价',
  classification: 'SECRET',
  ...overrides,
});

describe('access register decider (查阅登记, A1)', () => {
  it('A1: registers a view of a SECRET record with its purpose', () => {
    spec()
      .when(view())
      .then([
        {
          type: 'RecordDetailViewed',
          data: { archiveCode: CODE, purpose: '核对投标报价', classification: 'SECRET' },
        },
      ]);
  });

  it('A1: registers every view, however many came before', () => {
    const earlier = {
      type: 'RecordDetailViewed' as const,
      data: { archiveCode: CODE, purpose: '首次查阅', classification: 'SECRET' as const },
    };
    spec([earlier, earlier])
      .when(view({ classification: 'CONFIDENTIAL', purpose: ' 再次核对 ' }))
      .then([
        {
          type: 'RecordDetailViewed',
          data: { archiveCode: CODE, purpose: '再次核对', classification: 'CONFIDENTIAL' },
        },
      ]);
  });

  it.each([undefined, '', '   '])(
    'A1: refuses a view of a SECRET record without a purpose (%p)',
    (purpose) => {
      const error = spec()
        .when(view({ purpose }))
        .thenRefused({ kind: 'invalid', code: 'PURPOSE_REQUIRED', rule: 'A1' });
      expect(error.details.fields?.map((f) => f.field)).toEqual(['purpose']);
    },
  );

  it('A1: a view of the history or of a past state is registered as such, with the moment shown', () => {
    spec()
      .when(view({ view: 'past_state', asOf: 'revision 4' }))
      .then([
        {
          type: 'RecordDetailViewed',
          data: {
            archiveCode: CODE,
            purpose: '核对投标报价',
            classification: 'SECRET',
            view: 'past_state',
            asOf: 'revision 4',
          },
        },
      ]);
  });

  it('A1: views of PUBLIC and INTERNAL records are not registered', () => {
    spec()
      .when(view({ classification: 'INTERNAL', purpose: undefined }))
      .then([]);
    expect(viewIsRegistered('PUBLIC')).toBe(false);
    expect(viewIsRegistered('SECRET')).toBe(true);
    expect(viewIsRegistered('TOP_SECRET')).toBe(true);
  });

  it("A2: a record above the viewer's clearance does not exist for them", () => {
    spec()
      .when(view({ classification: 'TOP_SECRET' }))
      .thenRefused({ kind: 'not_found', code: 'RECORD_NOT_FOUND' });
  });
});
