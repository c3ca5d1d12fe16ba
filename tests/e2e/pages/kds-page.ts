import type { Locator, Page } from 'playwright-core';

/** The kitchen screen at `/kds`: station choice, tickets and their buttons, expo, all-day counts. */
export class KdsPage {
  constructor(readonly page: Page) {}

  tickets(): Locator {
    return this.page.getByTestId('kds-tickets').getByTestId('kds-ticket');
  }

  ticketFor(text: string): Locator {
    return this.tickets().filter({ hasText: text });
  }

  /** The open ticket of a table at a station (a table has one per station per send). */
  ticketAt(tableLabel: string, station: string): Locator {
    return this.page.locator(`[data-testid="kds-tickets"] [data-testid="kds-ticket"][data-station="${station}"]`).filter({ hasText: `Table ${tableLabel}` });
  }

  async ticketIds(): Promise<string[]> {
    return this.tickets().evaluateAll((els) => els.map((e) => e.getAttribute('data-ticket-id') ?? '').sort());
  }

  /** Shows exactly these stations (none: all). */
  async showStations(stationIds: string[]): Promise<void> {
    await this.page.getByTestId('kds-station-all').click();
    for (const id of stationIds) await this.page.getByTestId(`kds-station-${id}`).click();
  }

  async mode(mode: 'tickets' | 'expo'): Promise<void> {
    await this.page.getByTestId(`kds-mode-${mode}`).click();
  }

  async start(ticket: Locator): Promise<void> {
    await this.page.getByTestId(`start-${await ticket.getAttribute('data-ticket-id')}`).click();
  }

  async bump(ticket: Locator): Promise<void> {
    const id = await ticket.getAttribute('data-ticket-id');
    await this.page.getByTestId(`bump-${id}`).click();
  }

  async recall(ticketId: string): Promise<void> {
    await this.page.getByTestId(`recall-${ticketId}`).click();
  }

  /** Each line of a ticket as "kind qty name [voided]". */
  async linesOf(ticket: Locator): Promise<string[]> {
    return ticket.getByTestId('kds-line').evaluateAll((els) =>
      els.map((e) => `${e.getAttribute('data-kind')}${e.getAttribute('data-voided') === 'true' ? ' struck' : ''}: ${(e.textContent ?? '').replace(/\s+/g, ' ').trim()}`),
    );
  }

  async allDay(): Promise<Record<string, number>> {
    return this.page
      .getByTestId('kds-all-day-item')
      .evaluateAll((els) => Object.fromEntries(els.map((e) => [e.getAttribute('data-item-id') ?? '', Number(e.getAttribute('data-qty'))])));
  }

  expoOrder(tableLabel: string): Locator {
    return this.page.getByTestId('kds-expo-order').filter({ hasText: `Table ${tableLabel}` });
  }
}
