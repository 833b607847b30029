import { FixedClock } from '../clock/clock';
import { describeLeaseStoreContract } from './lease-store.contract';
import { LocalLeaseStore } from './local-lease-store';

describeLeaseStoreContract('in-process (the embedded deployment’s adapter)', async () => {
  const clock = new FixedClock(new Date('2026-03-01T09:00:00.000Z'));
  return {
    store: new LocalLeaseStore(clock),
    passTime: async (ms) => clock.advance(ms),
    dispose: async () => undefined,
  };
});
