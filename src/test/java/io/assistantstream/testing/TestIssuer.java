package io.assistantstream.testing;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A host product of the tests' own: an RSA key pair whose public half the relay is configured with, and tokens
 * signed by it, good and bad, for the callers the tests play.
 */
public final class TestIssuer {

    public static final String ISSUER = "https://host.example/";
    public static final String AUDIENCE = "assistant-stream";

    private final RSAKey key;
    private final RSAKey stranger;

    public TestIssuer() {
        try {
            key = new RSAKeyGenerator(2048).keyID("test").generate();
            stranger = new RSAKeyGenerator(2048).keyID("test").generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The public key as the relay's auth.jwt.public-key takes it. */
    public String publicKeyPem() {
        try {
            String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                    .encodeToString(key.toRSAPublicKey().getEncoded());
            return "-----BEGIN PUBLIC KEY-----\n" + body + "\n-----END PUBLIC KEY-----\n";
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    public RSAKey publicKey() {
        return key.toPublicJWK();
    }

    /** The settings a relay that trusts this issuer runs with. */
    public Map<String, String> settings() {
        return Map.of("auth.mode", "jwt", "auth.jwt.issuer", ISSUER, "auth.jwt.audience", AUDIENCE,
                "auth.jwt.public-key", publicKeyPem());
    }

    /** A token the relay accepts, for {@code subject}, valid for an hour. */
    public String token(String subject) {
        return sign(key, claims(subject).build());
    }

    /** Every way a token can be wrong, by what is wrong with it; the relay must refuse each with 401. */
    public Map<String, String> badTokens() {
        Instant now = Instant.now();
        Map<String, String> bad = new LinkedHashMap<>();
        bad.put("expired", sign(key, claims("ada").expirationTime(Date.from(now.minusSeconds(600))).build()));
        bad.put("not yet valid", sign(key, claims("ada").notBeforeTime(Date.from(now.plusSeconds(600))).build()));
        bad.put("wrong issuer", sign(key, claims("ada").issuer("https://evil.example/").build()));
        bad.put("wrong audience", sign(key, claims("ada").audience("another-service").build()));
        bad.put("no subject", sign(key, claims(null).build()));
        bad.put("bad signature", sign(stranger, claims("ada").build()));
        bad.put("alg none", new PlainJWT(claims("ada").build()).serialize());
        bad.put("HMAC signed with the public key", hmacWithPublicKey());
        // Over a 4,096-byte limit, under the 8 KB of headers a server takes before the relay sees them.
        bad.put("oversized", sign(key, claims("ada").claim("padding", "x".repeat(4_000)).build()));
        bad.put("malformed", "not-a-jwt");
        bad.put("three parts of garbage", "abc.def.ghi");
        bad.put("tampered claims", tampered());
        return bad;
    }

    private JWTClaimsSet.Builder claims(String subject) {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder().issuer(ISSUER).audience(AUDIENCE).subject(subject)
                .issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(3600)));
    }

    private static String sign(RSAKey with, JWTClaimsSet claims) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(with.getKeyID()).build(), claims);
            jwt.sign(new RSASSASigner(with));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The classic key confusion: HS256 with the verifier's public key (as PEM text) for the shared secret. */
    private String hmacWithPublicKey() {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims("ada").build());
            jwt.sign(new MACSigner(publicKeyPem().getBytes(StandardCharsets.US_ASCII)));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A good token whose claims were swapped for another subject's after signing. */
    private String tampered() {
        String[] parts = token("ada").split("\\.");
        String claims = Base64URL.encode(claims("grace").build().toString()).toString();
        return parts[0] + "." + claims + "." + parts[2];
    }
}
