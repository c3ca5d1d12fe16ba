import type { Page } from 'playwright-core';

/** The manager's home at `/`: sign in, pair this browser as a tablet or a kitchen screen. */
export class ManagerPage {
  constructor(readonly page: Page) {}

  async signIn(email: string, password: string): Promise<void> {
    await this.page.getByTestId('login-email').fill(email);
    await this.page.getByTestId('login-password').fill(password);
    await this.page.getByTestId('login-submit').click();
  }

  async pairAs(kind: 'pos' | 'kds', branchId: string): Promise<void> {
    await this.page.getByTestId(`pair-${kind}-${branchId}`).click();
    await this.page.waitForURL(`**/${kind}`);
  }
}
