import type { Locator, Page } from 'playwright-core';

type Method = 'cash' | 'card' | 'wallet';
type Mode = 'whole' | 'equal' | 'seat' | 'items' | 'amount';

/**
 * The payment screen's split and tender controls and the receipt, for the bill e2e test. Every
 * tap goes through `tap`, so a test can say how many taps a flow took (docs/WORKFLOWS.md);
 * typing an amount is counted apart, as an entry.
 */
export class BillPage {
  taps = 0;
  entries = 0;

  constructor(readonly page: Page) {}

  /** Starts counting a new flow. */
  resetCount(): void {
    this.taps = 0;
    this.entries = 0;
  }

  async tap(testId: string | Locator): Promise<void> {
    const target = typeof testId === 'string' ? this.page.getByTestId(testId) : testId;
    await target.click();
    this.taps += 1;
  }

  async type(testId: string, text: string): Promise<void> {
    await this.page.getByTestId(testId).fill(text);
    this.entries += 1;
  }

  async openPayment(): Promise<void> {
    await this.tap('pay-button');
    await this.page.getByTestId('payment-screen').waitFor();
  }

  async splitBy(mode: Mode): Promise<void> {
    await this.tap(`split-mode-${mode}`);
  }

  /** Taps + or − until the stepper shows `count`. */
  async setCount(stepper: 'shares' | 'guests', count: number): Promise<void> {
    const current = Number(await this.page.getByTestId(`split-${stepper}`).getAttribute('data-count'));
    const step = count > current ? 'plus' : 'minus';
    for (let i = 0; i < Math.abs(count - current); i++) await this.tap(`split-${stepper}-${step}`);
  }

  /** By item: gives the line of `itemId` to `guest` (taps the guest only when it changes). */
  async giveItem(itemId: string, guest: number): Promise<void> {
    const chip = this.page.getByTestId(`assign-guest-${guest}`);
    if ((await chip.getAttribute('aria-checked')) !== 'true') await this.tap(chip);
    await this.tap(this.page.locator(`[data-testid="assign-line"][data-item-id="${itemId}"]`).first());
  }

  async addAmountPart(amount: string): Promise<void> {
    await this.type('split-amount', amount);
    await this.tap('split-amount-add');
  }

  part(slug: string): Locator {
    return this.page.getByTestId(`bill-part-${slug}`);
  }

  async partAmounts(): Promise<{ label: string; amount: number; covered: boolean }[]> {
    return this.page
      .locator('[data-testid^="bill-part-"]')
      .evaluateAll((els) =>
        els.map((e) => ({
          label: e.getAttribute('data-label') ?? '',
          amount: Number(e.getAttribute('data-amount')),
          covered: e.getAttribute('data-covered') === 'true',
        })),
      );
  }

  async payingPart(): Promise<string | null> {
    return this.page.getByTestId('paying-part').getAttribute('data-label');
  }

  async method(method: Method): Promise<void> {
    if ((await this.page.getByTestId('tender-panel').getAttribute('data-method')) !== method) await this.tap(`tender-method-${method}`);
  }

  /** Cash for the part being paid: the exact amount (one tap) or what the guest hands over. */
  async payCash(handedOver: 'exact' | string, tip?: string): Promise<void> {
    await this.method('cash');
    if (handedOver === 'exact') await this.tap('cash-exact');
    else await this.type('cash-tendered', handedOver);
    // after "Exact" on purpose: the exact amount then grows by the tip
    if (tip) await this.type('tip-input', tip);
    await this.tap('confirm-payment');
  }

  /** Card or wallet: what is owed unless an amount is given, with an optional tip on top. */
  async payBy(method: 'card' | 'wallet', amount?: string, tip?: string): Promise<void> {
    await this.method(method);
    if (amount) await this.type('tender-amount', amount);
    if (tip) await this.type('tip-input', tip);
    await this.tap('confirm-payment');
  }

  async waitForReceipt(): Promise<string> {
    const receipt = this.page.getByTestId('receipt');
    await receipt.waitFor();
    return (await receipt.getAttribute('data-order-id')) ?? '';
  }

  async done(): Promise<void> {
    await this.page.getByTestId('receipt-done').click();
    await this.page.getByTestId('table-map').waitFor();
  }

  /** How often the page called window.print() (the test replaces the dialog with a counter). */
  async printCalls(): Promise<number> {
    return this.page.evaluate(() => (window as unknown as { __printCalls?: number }).__printCalls ?? 0);
  }
}

/** Put before the page loads: window.print() counts instead of opening the dialog. */
export function countPrintCalls(): void {
  const w = window as unknown as { __printCalls?: number; print: () => void };
  w.print = () => {
    w.__printCalls = (w.__printCalls ?? 0) + 1;
  };
}
