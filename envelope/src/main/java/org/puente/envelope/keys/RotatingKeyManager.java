package org.puente.envelope.keys;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.function.Supplier;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * The TLS key manager of every listener and client: each handshake presents the TLS key of the
 * key material in force, so a key reload reaches new connections without rebuilding the SSL
 * contexts; connections already open keep the certificate they were made with.
 *
 * <p>Implementation note: a handshake first chooses an alias, then asks for that alias's chain
 * and key. A reload between the two calls must not hand it another key manager that does not
 * know the alias, so chosen aliases carry the generation of the key manager that chose them, and
 * the previous generation is kept for the handshakes begun before the reload.
 */
public final class RotatingKeyManager extends X509ExtendedKeyManager {
    private record Generation(int number, KeyMaterial keys, X509ExtendedKeyManager manager) {
        String tag(String alias) {
            return alias == null ? null : number + ":" + alias;
        }
    }

    private final Supplier<KeyMaterial> keys;
    private volatile Generation current;
    private volatile Generation previous;

    /** @param keys the key material in force, asked at every handshake */
    public RotatingKeyManager(Supplier<KeyMaterial> keys) {
        this.keys = keys;
        this.current = new Generation(0, keys.get(), manager(keys.get()));
        this.previous = current;
    }

    private Generation now() {
        KeyMaterial in = keys.get();
        Generation g = current;
        if (g.keys() != in) {
            synchronized (this) {
                g = current;
                if (g.keys() != in) {
                    previous = g;
                    g = new Generation(g.number() + 1, in, manager(in));
                    current = g;
                }
            }
        }
        return g;
    }

    private static X509ExtendedKeyManager manager(KeyMaterial keys) {
        return (X509ExtendedKeyManager) keys.tlsKeyManagers()[0];
    }

    /** The key manager that chose {@code tagged}, and the alias it knows it by; null if neither generation did. */
    private String[] untag(String tagged) {
        int colon = tagged == null ? -1 : tagged.indexOf(':');
        return colon < 0 ? null : new String[] {tagged.substring(0, colon), tagged.substring(colon + 1)};
    }

    private X509ExtendedKeyManager managerFor(String number) {
        Generation c = current;
        Generation p = previous;
        if (String.valueOf(c.number()).equals(number)) {
            return c.manager();
        }
        return String.valueOf(p.number()).equals(number) ? p.manager() : null;
    }

    private String[] tagAll(Generation g, String[] aliases) {
        return aliases == null ? null : java.util.Arrays.stream(aliases).map(g::tag).toArray(String[]::new);
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        Generation g = now();
        return tagAll(g, g.manager().getClientAliases(keyType, issuers));
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
        Generation g = now();
        return g.tag(g.manager().chooseClientAlias(keyType, issuers, socket));
    }

    @Override
    public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
        Generation g = now();
        return g.tag(g.manager().chooseEngineClientAlias(keyType, issuers, engine));
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        Generation g = now();
        return tagAll(g, g.manager().getServerAliases(keyType, issuers));
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        Generation g = now();
        return g.tag(g.manager().chooseServerAlias(keyType, issuers, socket));
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        Generation g = now();
        return g.tag(g.manager().chooseEngineServerAlias(keyType, issuers, engine));
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        String[] parts = untag(alias);
        X509ExtendedKeyManager m = parts == null ? null : managerFor(parts[0]);
        return m == null ? null : m.getCertificateChain(parts[1]);
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        String[] parts = untag(alias);
        X509ExtendedKeyManager m = parts == null ? null : managerFor(parts[0]);
        return m == null ? null : m.getPrivateKey(parts[1]);
    }
}
