package org.puente.envelope.timestamp;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Date;
import java.util.function.UnaryOperator;
import org.bouncycastle.asn1.ASN1GeneralizedTime;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.cms.Attribute;
import org.bouncycastle.asn1.cms.AttributeTable;
import org.bouncycastle.asn1.ess.ESSCertIDv2;
import org.bouncycastle.asn1.ess.SigningCertificateV2;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.tsp.MessageImprint;
import org.bouncycastle.asn1.tsp.TSTInfo;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoGeneratorBuilder;
import org.bouncycastle.tsp.TimeStampRequest;
import org.puente.certs.IssuedCredential;
import org.puente.envelope.PuenteOids;
import org.puente.envelope.crypto.CryptoProviders;

/** Digests, hand-made tokens and a TSA proxy that tampers with requests: what the refusal tests need. */
final class TimeStampFixtures {
    private TimeStampFixtures() {
    }

    static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A well-formed RFC 3161 token (TSTInfo, signing-certificate-v2, certificates) signed by ANY
     * credential: Bouncy Castle's token generator refuses a signer without the TSA usage, so a token
     * from a certificate that is not a TSA's has to be made by hand, as an attacker would.
     */
    static byte[] tokenSignedBy(IssuedCredential signer, byte[] digest) throws Exception {
        TSTInfo info = new TSTInfo(PuenteOids.SAMPLE_TSA_POLICY,
                new MessageImprint(new AlgorithmIdentifier(NISTObjectIdentifiers.id_sha256), digest),
                new ASN1Integer(BigInteger.valueOf(4711)), new ASN1GeneralizedTime(new Date()), null, null, null, null, null);
        byte[] certHash = MessageDigest.getInstance("SHA-256").digest(signer.certificate().getEncoded());
        AttributeTable signed = new AttributeTable(new Attribute(PKCSObjectIdentifiers.id_aa_signingCertificateV2,
                new DERSet(new SigningCertificateV2(new ESSCertIDv2(certHash)))));
        CMSSignedDataGenerator generator = new CMSSignedDataGenerator();
        generator.addSignerInfoGenerator(new JcaSimpleSignerInfoGeneratorBuilder()
                .setProvider(CryptoProviders.bouncyCastle()).setSignedAttributeGenerator(signed)
                .build("SHA256withECDSA", signer.key(), signer.certificate()));
        generator.addCertificates(new JcaCertStore(signer.chain().subList(0, 2)));
        return generator.generate(new CMSProcessableByteArray(PKCSObjectIdentifiers.id_ct_TSTInfo, info.getEncoded()), true)
                .getEncoded();
    }

    /** Forwards each query to a real TSA after rewriting it: a TSA that answers another request than the one asked. */
    static final class TamperingProxy implements AutoCloseable {
        private final HttpServer server;
        private final HttpClient client = HttpClient.newHttpClient();

        TamperingProxy(URI tsa, UnaryOperator<TimeStampRequest> rewrite) throws IOException {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.createContext("/", exchange -> {
                try (exchange) {
                    byte[] query = rewrite.apply(new TimeStampRequest(exchange.getRequestBody().readAllBytes())).getEncoded();
                    HttpResponse<byte[]> reply = client.send(HttpRequest.newBuilder(tsa)
                            .header("Content-Type", TimeStampClient.QUERY_MEDIA_TYPE)
                            .POST(HttpRequest.BodyPublishers.ofByteArray(query)).build(), HttpResponse.BodyHandlers.ofByteArray());
                    exchange.getResponseHeaders().set("Content-Type", TimeStampClient.REPLY_MEDIA_TYPE);
                    exchange.sendResponseHeaders(reply.statusCode(), reply.body().length);
                    try (OutputStream out = exchange.getResponseBody()) {
                        out.write(reply.body());
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException(e);
                }
            });
            server.start();
        }

        URI url() {
            return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }
}
