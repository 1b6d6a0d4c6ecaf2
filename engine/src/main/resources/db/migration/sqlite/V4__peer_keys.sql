-- Key rotation without a restart (issue 16, point 3): the encryption certificates the peer
-- announced and this gateway adopted. The same table as PostgreSQL's V6, in SQLite's types.
CREATE TABLE peer_key (
    fingerprint   TEXT    NOT NULL PRIMARY KEY,
    chain_pem     TEXT    NOT NULL,
    announcement  BLOB    NOT NULL,
    not_before    TEXT    NOT NULL,
    adopted_at    TEXT    NOT NULL
);
