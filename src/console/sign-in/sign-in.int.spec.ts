import { startTestApp, type TestApp } from '../../../test/support/test-app';
import { people } from '../../../test/support/people';

describe('console development sign-in (AUTH_MODE=embedded)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('offers the demo users, each with a title in Chinese and English', async () => {
    const response = await t.request({ method: 'GET', url: '/auth/sign-in-options' });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ authMode: 'embedded', devSignIn: true });
    expect(response.body.demoUsers).toContainEqual(
      expect.objectContaining({
        user: 'wang.fang',
        roles: ['archivist'],
        title: expect.objectContaining({ zh: '档案管理员 王芳' }),
      }),
    );
  });

  it('mints a token the service accepts as that person, with their roles, unit and clearance', async () => {
    const signIn = await t.request({ method: 'POST', url: '/auth/dev-sign-in', body: { user: 'li.lei' } });
    expect(signIn.status).toBe(200);
    const before = await t.eventCount();
    const openLoans = await t.request({
      method: 'GET',
      url: '/borrowers/li.lei/open-loans',
      headers: { authorization: `Bearer ${signIn.body.token}` },
    });
    expect(openLoans.status).toBe(200);
    const [, payload] = (signIn.body.token as string).split('.');
    expect(JSON.parse(Buffer.from(payload, 'base64url').toString())).toMatchObject({
      sub: 'li.lei',
      roles: ['borrower'],
      unit: 'SALES',
      clearance: 'INTERNAL',
    });
    expect(await t.eventCount()).toBe(before);
  });

  it('refuses a user who is not a demo user with 400 naming the field', async () => {
    const response = await t.request({ method: 'POST', url: '/auth/dev-sign-in', body: { user: 'mallory' } });
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({
      error: 'UNKNOWN_DEMO_USER',
      fields: [expect.objectContaining({ field: 'user' })],
    });
  });

  it('refuses a body that names roles or anything else (400), so nobody picks their own roles', async () => {
    const response = await t.request({
      method: 'POST',
      url: '/auth/dev-sign-in',
      body: { user: 'li.lei', roles: ['administrator'] },
    });
    expect(response.status).toBe(400);
    expect(JSON.stringify(response.body.fields)).toContain('roles');
  });
});

describe('console development sign-in turned off (DEV_SIGN_IN=off)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ DEV_SIGN_IN: 'off' });
  });
  afterAll(() => t.close());

  it('offers no demo users and refuses to mint with 404 DEV_SIGN_IN_OFF', async () => {
    const options = await t.request({ method: 'GET', url: '/auth/sign-in-options' });
    expect(options.body).toEqual({ authMode: 'embedded', devSignIn: false, demoUsers: [] });
    const response = await t.request({
      method: 'POST',
      url: '/auth/dev-sign-in',
      body: { user: 'wang.fang' },
    });
    expect(response.status).toBe(404);
    expect(response.body).toMatchObject({ error: 'DEV_SIGN_IN_OFF' });
  });
});

describe('GET /auth/me', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('answers who the service takes the bearer of the token to be', async () => {
    const response = await t.request({ method: 'GET', url: '/auth/me', as: people.engineer });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      id: 'chen.jing',
      roles: ['borrower'],
      unit: 'SALES',
      clearance: 'CONFIDENTIAL',
    });
  });

  it('refuses a request without a token with 401', async () => {
    const response = await t.request({ method: 'GET', url: '/auth/me' });
    expect(response.status).toBe(401);
  });
});
