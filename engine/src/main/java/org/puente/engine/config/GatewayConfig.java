package org.puente.engine.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.puente.model.Country;

/**
 * The typed, validated configuration of one gateway. Built once at start-up by
 * {@link GatewayConfigLoader}; the same engine runs either country from it.
 *
 * @param country     this gateway's country
 * @param gatewayName the name in this gateway's certificates, e.g. {@code gateway.us.puente.sample}
 * @param dataDir     where the embedded database and drop folders live
 */
public record GatewayConfig(
        Country country,
        String gatewayName,
        Path dataDir,
        Pki pki,
        Peer peer,
        Listeners listeners,
        Database database,
        List<ClientEntry> clients,
        Dispatch dispatch,
        Limits limits,
        Map<String, AgencyPush> push,
        AuditSettings audit) {

    /**
     * Keys and trust.
     *
     * @param keys         where the gateway's own keys are: a PKCS#12 file or a PKCS#11 token
     * @param ownRoots     this country's CA roots: they issue agency, operator and auditor certificates
     * @param peerRoots    the other country's CA roots: the peer gateway's TLS and signing certificates
     * @param crls         CRLs of both countries' CAs (reloadable at run time)
     * @param profile      envelope algorithm profile name
     * @param intermediates CA certificates below the roots that the keystore chains and the peer's
     *                      encryption certificate file do not carry (their CRLs must verify too)
     * @param sample       true only for demos and tests: allows keys of the public SAMPLE PKI
     */
    public record Pki(Keys keys, List<Path> ownRoots, List<Path> peerRoots,
                      List<Path> crls, String profile, List<Path> intermediates, boolean sample) {
    }

    /**
     * The gateway's own keys ({@code signing}, {@code encryption}, {@code tls}, {@code audit}).
     *
     * @param keystore    PKCS#12 file with those aliases; {@code null} when the keys are in a token
     * @param passwordEnv environment variable holding the keystore password
     * @param token       the PKCS#11 token holding them instead ({@code puente.pki.pkcs11.library} set)
     * @param overlap     how long an encryption key a reload took out of the keystore still opens
     *                    envelopes ({@code puente.pki.rotation-overlap})
     */
    public record Keys(Path keystore, String passwordEnv, Optional<Pkcs11> token, java.time.Duration overlap) {
    }

    /**
     * A PKCS#11 token holding the gateway's keys.
     *
     * @param library   the token's PKCS#11 library
     * @param slotIndex index in the library's list of slots with a token
     * @param pinEnv    environment variable holding the user PIN
     * @param labels    the label of each role's key and certificate, where it is not the role's name
     */
    public record Pkcs11(Path library, int slotIndex, String pinEnv, Map<String, String> labels) {
    }

    /**
     * The other country's gateway.
     *
     * @param gatewayName           the name expected in its TLS and signing certificates
     * @param url                   base URL of its peer API, e.g. {@code https://gateway.mx:9443}
     * @param encryptionCertificate its encryption (key agreement) certificate, exchanged out of band,
     *                              followed in the same file by the CA certificates up to its root
     * @param requestTimeoutPerMib  added to {@code requestTimeout} per whole MiB of envelopes a request carries
     */
    public record Peer(String gatewayName, URI url, Path encryptionCertificate, Duration connectTimeout,
                       Duration requestTimeout, Duration requestTimeoutPerMib) {
    }

    /**
     * The three mutual-TLS listeners, and an optional loopback-only plain HTTP port for a local
     * metrics scraper ({@code 0} = off).
     */
    public record Listeners(String host, int agencyPort, int peerPort, int opsPort, int loopbackMetricsPort) {
    }

    /**
     * {@code jdbcUrl} empty means the embedded SQLite database in the data directory; otherwise a
     * PostgreSQL URL. {@code poolSize}: connections of the pool (PostgreSQL) or readers (SQLite).
     * {@code payloadRetention} ({@code puente.data.payload-retention}): how long the payload of a
     * finished message (acknowledged; receipted, delivered, refused or expired) stays stored
     * before it is purged, its digests, receipts and history kept. {@code instanceId}
     * ({@code puente.db.instance-id}): this instance's name among those sharing a PostgreSQL
     * database, kept across restarts, so that a restart takes back at once the jobs its killed
     * predecessor had claimed instead of waiting for their leases to lapse (ignored by the
     * embedded database, whose one process takes them all back).
     */
    public record Database(Optional<String> jdbcUrl, String user, String passwordEnv, int poolSize,
                           Duration payloadRetention, Optional<String> instanceId) {
    }

    /**
     * Outbound dispatch tuning.
     *
     * @param concurrency    envelopes batches in flight to the peer at once
     * @param batchSize      envelopes per peer request
     * @param initialBackoff first retry delay (doubles per attempt, with jitter)
     * @param maxBackoff     largest retry delay
     * @param lease          how long a claimed message stays reserved for one dispatcher
     * @param pollInterval   how often the outbox is scanned for due retries when idle
     * @param reserved       peer requests in flight reserved for URGENT and for BULK messages, beside
     *                       {@code concurrency} (which URGENT and NORMAL share, most urgent first)
     */
    public record Dispatch(int concurrency, int batchSize, Duration initialBackoff, Duration maxBackoff,
                           Duration lease, Duration pollInterval, ReservedLanes reserved) {

        /** Every peer request that may be in flight at once. */
        public int totalConcurrency() {
            return concurrency + reserved.urgent() + reserved.bulk();
        }
    }

    /**
     * Delivery capacity reserved per priority lane.
     *
     * @param urgent requests only URGENT messages may occupy: an URGENT message never waits for a
     *               slot behind NORMAL or BULK requests in flight
     * @param bulk   requests only BULK messages may occupy, and the only ones they use: BULK keeps moving
     *               under any load of the others, and a BULK flood leaves the shared requests alone
     */
    public record ReservedLanes(int urgent, int bulk) {
    }

    /**
     * Admission limits.
     *
     * @param maxPayloadBytes   largest payload accepted (and envelope opened)
     * @param maxOutboxBacklog  submissions are shed with 429 above this many undelivered messages
     * @param maxBatchItems     largest batch submission
     * @param bodies            request bodies at the listeners: how large, how fast
     * @param processingBytes   bytes of submitted documents in process (validated, sealed, stored) at
     *                          once; above it submissions are shed with 429 (docs/operations.md)
     */
    public record Limits(long maxPayloadBytes, int maxOutboxBacklog, int maxBatchItems, RequestBodies bodies,
                         long processingBytes) {
    }

    /**
     * Request bodies at the listeners.
     *
     * @param agencyBytes largest request body on the agency listener (REST and SOAP), refused with
     *                    413 before it is read
     * @param peerBytes   largest request body on the peer listener
     * @param opsBytes    largest request body on the operations listener
     * @param pace        how soon a body must have arrived
     */
    public record RequestBodies(long agencyBytes, long peerBytes, long opsBytes, BodyPace pace) {
    }

    /**
     * A request body must have arrived within {@code grace} plus its length at
     * {@code minBytesPerSecond} (a body of undeclared length: the listener's limit); past that its
     * connection is closed and its share of the body budget given back, so that a client that
     * sends slowly, or stops, cannot keep the budget from others.
     */
    public record BodyPace(Duration grace, long minBytesPerSecond) {
        public Duration deadline(long bodyBytes) {
            return grace.plusSeconds(bodyBytes / minBytesPerSecond)
                    .plusNanos(bodyBytes % minBytesPerSecond * 1_000_000_000L / minBytesPerSecond);
        }
    }

    /** Push delivery to an agency's own HTTPS endpoint (mutual TLS) instead of, or besides, its mailbox. */
    public record AgencyPush(String agency, URI url) {
    }

    public Optional<ClientEntry> clientById(String id) {
        return clients.stream().filter(c -> c.id().equals(id)).findFirst();
    }
}
