-- Why an outbox message was held, skipped or settled is stored as a code (src/domain/reasons.ts),
-- translated where a person reads it. Rows written before hold English sentences: converted here,
-- in one pass over the table. A channel's own error ("failed: …") and anything else stay as they are.
UPDATE `outbox` SET `last_error` = CASE `last_error`
    WHEN 'daily send cap reached' THEN 'daily_cap'
    WHEN 'paused by the seller' THEN 'seller_pause'
    WHEN 'paused while the owner talks to the customer' THEN 'handoff'
    WHEN 'the service stopped between the claim and the result' THEN 'interrupted'
    WHEN 'due longer ago than the step allows' THEN 'expired'
    WHEN 'superseded by a newer purchase' THEN 'superseded'
    WHEN 'cancelled by the seller' THEN 'cancelled_by_seller'
    WHEN 'outcome unknown; the seller confirmed it arrived' THEN 'resolved_sent'
    WHEN 'outcome unknown; discarded by the seller, treated as not sent' THEN 'resolved_discarded'
    -- A resend named the first attempt's WhatsApp id after this sentence.
    ELSE 'resent:' || substr(`last_error`, length('outcome unknown; sent again by the seller, the first attempt may have arrived too: ') + 1)
  END
  WHERE `last_error` IN (
      'daily send cap reached',
      'paused by the seller',
      'paused while the owner talks to the customer',
      'the service stopped between the claim and the result',
      'due longer ago than the step allows',
      'superseded by a newer purchase',
      'cancelled by the seller',
      'outcome unknown; the seller confirmed it arrived',
      'outcome unknown; discarded by the seller, treated as not sent'
    )
    OR substr(`last_error`, 1, length('outcome unknown; sent again by the seller, the first attempt may have arrived too: '))
      = 'outcome unknown; sent again by the seller, the first attempt may have arrived too: ';
