-- Key rotation without a restart (issue 16, point 3; docs/operations.md, "Rotating keys"): the
-- encryption certificates the peer announced over the link and this gateway adopted after
-- validating them. Every instance sharing the database seals to the newest row whose notBefore is
-- later than the configured certificate's; the signed announcement is kept as the peer's proof.
CREATE TABLE peer_key (
    fingerprint   TEXT          NOT NULL PRIMARY KEY,
    chain_pem     TEXT          NOT NULL,
    announcement  BYTEA         NOT NULL,
    not_before    TIMESTAMP WITH TIME ZONE NOT NULL,
    adopted_at    TIMESTAMP WITH TIME ZONE NOT NULL
);
