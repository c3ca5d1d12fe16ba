import { useEffect, useMemo, useState } from 'react';
import QRCode from 'qrcode';
import type * as Y from 'yjs';
import { readReceipt } from '../../shared/live-doc';
import { useI18n } from '../i18n/language';
import { issueFailureOf, onIssueFailure } from './issue-failures';

/**
 * The ETA part of a printed receipt: the QR code of the receipt's link on the ETA portal, its
 * receipt number and uuid [FIS-53]. The tablet issues the receipt a moment after the order is
 * paid (client/fiscal/fiscal-issuer.ts), offline too, and puts it in the live document; until it
 * is there this shows "issuing". `revision` stands in for the document's content.
 */
export function FiscalReceiptQr({ doc, orderId, revision }: { doc: Y.Doc; orderId: string; revision: number }) {
  const { t } = useI18n();
  const entry = useMemo(() => readReceipt(doc, orderId), [doc, orderId, revision]);
  const [image, setImage] = useState<{ link: string; dataUrl: string } | null>(null);
  const link = entry?.qrLink ?? null;
  const [failureTick, setFailureTick] = useState(0);
  useEffect(() => onIssueFailure(() => setFailureTick((n) => n + 1)), []);
  const failure = useMemo(() => issueFailureOf(orderId), [orderId, failureTick]);

  useEffect(() => {
    if (link === null) return;
    let isCurrent = true;
    // Medium error correction: thermal printouts smudge.
    QRCode.toDataURL(link, { errorCorrectionLevel: 'M', margin: 1, width: 192 })
      .then((dataUrl) => {
        if (isCurrent) setImage({ link, dataUrl });
      })
      .catch(() => undefined);
    return () => {
      isCurrent = false;
    };
  }, [link]);

  if (entry === null && failure !== null) {
    return (
      <p className="fiscal-qr fiscal-alert" data-testid="fiscal-qr-failed" data-code={failure.code} role="alert">
        {t('fiscal.issueFailed', { reason: failure.code === 'buyer-required' ? t('fiscal.buyerRequired') : failure.message })}
      </p>
    );
  }
  if (entry === null) {
    return (
      <p className="fiscal-qr fiscal-qr--issuing muted" data-testid="fiscal-qr-issuing" role="status">
        {t('fiscal.qr.issuing')}
      </p>
    );
  }
  return (
    <figure className="fiscal-qr" data-testid="fiscal-qr" data-uuid={entry.uuid} data-link={entry.qrLink}>
      {image?.link === entry.qrLink && (
        <img className="fiscal-qr__code" src={image.dataUrl} width={192} height={192} alt={t('fiscal.qr.alt')} data-testid="fiscal-qr-image" />
      )}
      <figcaption className="fiscal-qr__caption">
        <span>{t('fiscal.qr.number', { number: entry.receiptNumber })}</span>
        <span className="fiscal-qr__uuid" dir="ltr" data-testid="fiscal-qr-uuid">
          {entry.uuid}
        </span>
      </figcaption>
    </figure>
  );
}
