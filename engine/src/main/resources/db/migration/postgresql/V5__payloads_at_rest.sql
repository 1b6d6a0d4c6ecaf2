-- Payloads at rest (issue 13, point 7; docs/security.md, "Payloads at rest"): payload columns hold
-- AES-256-GCM ciphertext under the country's storage key, and the payloads of finished messages are
-- purged after puente.data.payload-retention while their digests, receipts and states stay.

-- The storage key, only ever stored sealed: CMS AuthEnvelopedData to the gateway's own encryption
-- certificate(s) around a SignedData by its own signing key (StorageKeyEnvelope). Every instance
-- sharing this database uses the same key: the first start inserts it, ON CONFLICT DO NOTHING lets
-- concurrent first starts agree on one. A key rotation seals it again (rewrapped_at).
CREATE TABLE storage_key (
    key_id        INTEGER       NOT NULL PRIMARY KEY,
    wrapped       BYTEA         NOT NULL,
    created_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    rewrapped_at  TIMESTAMP WITH TIME ZONE
);

-- payload_key_id: the storage key the payload is encrypted under; NULL for a payload stored as
-- submitted (rows written before this migration, or by an instance of an older version during a
-- rolling upgrade), which the payload sweep encrypts. payload_purged_at: when the payload (and the
-- outbox's sealed envelope) was replaced by zero bytes.
ALTER TABLE outbox ADD COLUMN payload_key_id INTEGER;
ALTER TABLE outbox ADD COLUMN payload_purged_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE inbox ADD COLUMN payload_key_id INTEGER;
ALTER TABLE inbox ADD COLUMN payload_purged_at TIMESTAMP WITH TIME ZONE;

-- What the sweep looks for: finished messages whose payload is still there, and payloads still in clear.
CREATE INDEX ix_outbox_payload_due ON outbox (state, updated_at) WHERE payload_purged_at IS NULL;
CREATE INDEX ix_inbox_payload_due ON inbox (state, acknowledged_at) WHERE payload_purged_at IS NULL;
CREATE INDEX ix_outbox_payload_clear ON outbox (message_id) WHERE payload_key_id IS NULL AND payload_purged_at IS NULL;
CREATE INDEX ix_inbox_payload_clear ON inbox (message_id) WHERE payload_key_id IS NULL AND payload_purged_at IS NULL;
