import type { Locator, Page } from 'playwright-core';

/** The kitchen screen at `/kds`: pending tickets and their Ready buttons. */
export class KdsPage {
  constructor(readonly page: Page) {}

  tickets(): Locator {
    return this.page.getByTestId('kds-ticket');
  }

  ticketFor(text: string): Locator {
    return this.tickets().filter({ hasText: text });
  }

  async bump(ticket: Locator): Promise<void> {
    const id = await ticket.getAttribute('data-ticket-id');
    await this.page.getByTestId(`bump-${id}`).click();
  }
}
