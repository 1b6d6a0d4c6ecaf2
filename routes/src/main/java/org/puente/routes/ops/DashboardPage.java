package org.puente.routes.ops;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The operators' dashboard: one self-contained HTML page (inline script and style, no external
 * resource: many agency networks have no internet) and the Content-Security-Policy that allows
 * exactly its inline blocks, by hash, and nothing from anywhere else.
 *
 * <p>Implementation note: the page's buttons act with the operator's client certificate, which
 * the browser presents to any page that asks. The policy forbids framing (clickjacking) and
 * foreign scripts; cross-site requests are stopped by the API, which takes control actions only
 * as {@code application/json} POSTs — a type a foreign page cannot send without a CORS preflight
 * this server never answers.
 */
public final class DashboardPage {
    private static final String RESOURCE = "/org/puente/routes/ops/dashboard.html";
    private static final Pattern SCRIPT = Pattern.compile("<script>(.*?)</script>", Pattern.DOTALL);
    private static final Pattern STYLE = Pattern.compile("<style>(.*?)</style>", Pattern.DOTALL);

    private final byte[] html;
    private final String contentSecurityPolicy;

    private DashboardPage(byte[] html, String contentSecurityPolicy) {
        this.html = html;
        this.contentSecurityPolicy = contentSecurityPolicy;
    }

    public static DashboardPage load() {
        try (InputStream in = DashboardPage.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + RESOURCE);
            }
            byte[] bytes = in.readAllBytes();
            String text = new String(bytes, StandardCharsets.UTF_8);
            String csp = "default-src 'none'; script-src " + hashes(SCRIPT, text) + "; style-src " + hashes(STYLE, text)
                    + "; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none';"
                    + " frame-ancestors 'none'";
            return new DashboardPage(bytes, csp);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public byte[] html() {
        return html.clone();
    }

    public String contentSecurityPolicy() {
        return contentSecurityPolicy;
    }

    private static String hashes(Pattern block, String text) {
        List<String> out = new ArrayList<>();
        Matcher m = block.matcher(text);
        while (m.find()) {
            out.add("'sha256-" + Base64.getEncoder().encodeToString(sha256(m.group(1))) + "'");
        }
        return out.isEmpty() ? "'none'" : String.join(" ", out);
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
