/** The few REST calls the bench makes to set up a run (CONTRACT section 3). */
export class Api {
  private token = '';

  constructor(readonly baseUrl: string) {}

  async login(username: string, password: string): Promise<string> {
    const answer = (await this.request('POST', '/api/auth/login', { username, password }, false)) as {
      token: string;
    };
    return answer.token;
  }

  async useLogin(username: string, password: string): Promise<void> {
    this.token = await this.login(username, password);
  }

  get bearer(): string {
    return this.token;
  }

  createIdTag(idTag: string): Promise<unknown> {
    return this.request('POST', '/api/id-tags', { idTag, status: 'Accepted', allowConcurrent: true });
  }

  createUser(username: string, password: string, roles: string[], allowedStations: string[] | null) {
    return this.request('POST', '/api/users', { username, password, roles, allowedStations });
  }

  async request(method: string, path: string, body?: unknown, auth = true): Promise<unknown> {
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: {
        ...(body !== undefined && { 'content-type': 'application/json' }),
        ...(auth && { authorization: `Bearer ${this.token}` }),
      },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
    return text === '' ? null : (JSON.parse(text) as unknown);
  }
}
