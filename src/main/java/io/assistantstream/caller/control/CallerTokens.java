package io.assistantstream.caller.control;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSKeySelector;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import com.nimbusds.jwt.proc.ExpiredJWTException;
import io.assistantstream.caller.entity.Caller;
import io.assistantstream.platform.AuthSettings;
import io.assistantstream.platform.ProblemException;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.MalformedURLException;
import java.nio.charset.StandardCharsets;
import java.security.Key;
import java.text.ParseException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Verifies a caller's JWT (Nimbus JOSE+JWT): signed with an asymmetric algorithm by the configured key (so an
 * unsigned token or one signed with HMAC, even with the public key as its secret, never verifies), from the
 * configured issuer, for the configured audience, with a subject, within its {@code exp} and {@code nbf} (give or
 * take {@code auth.jwt.clock-skew-seconds}), and no longer than {@code auth.jwt.max-token-bytes}.
 */
@ApplicationScoped
public class CallerTokens {

    @Inject
    AuthSettings auth;

    private DefaultJWTProcessor<SecurityContext> processor;

    @PostConstruct
    void start() {
        if (!auth.verifiesCallers()) {
            return;
        }
        processor = new DefaultJWTProcessor<>();
        processor.setJWSKeySelector(auth.publicKey().isPresent() ? theKey(auth.publicKey().get()) : fromJwks());
        DefaultJWTClaimsVerifier<SecurityContext> claims = new DefaultJWTClaimsVerifier<>(auth.audience().orElseThrow(),
                new JWTClaimsSet.Builder().issuer(auth.issuer().orElseThrow()).build(), Set.of("sub", "exp"));
        claims.setMaxClockSkew((int) auth.clockSkew().toSeconds());
        processor.setJWTClaimsSetVerifier(claims);
    }

    /** The one configured key, whatever key id a token names, for the algorithms of its type only. */
    private static JWSKeySelector<SecurityContext> theKey(JWK key) {
        try {
            Key publicKey = key instanceof RSAKey rsa ? rsa.toPublicKey() : ((ECKey) key).toPublicKey();
            Set<JWSAlgorithm> accepted = key instanceof RSAKey ? JWSAlgorithm.Family.RSA : JWSAlgorithm.Family.EC;
            return (header, context) -> accepted.contains(header.getAlgorithm()) ? List.of(publicKey) : List.of();
        } catch (JOSEException e) {
            throw new IllegalStateException("auth.jwt.public-key cannot be used: " + e.getMessage(), e);
        }
    }

    /** The keys the JWKS address serves (fetched, cached and refreshed by Nimbus), by the key id a token names. */
    private JWSKeySelector<SecurityContext> fromJwks() {
        Set<JWSAlgorithm> asymmetric = new HashSet<>(JWSAlgorithm.Family.RSA);
        asymmetric.addAll(JWSAlgorithm.Family.EC);
        try {
            JWKSource<SecurityContext> keys = JWKSourceBuilder.create(auth.jwksUrl().orElseThrow().toURL()).build();
            return new JWSVerificationKeySelector<>(asymmetric, keys);
        } catch (MalformedURLException e) {
            throw new IllegalStateException("auth.jwt.jwks-url is not a URL: " + e.getMessage(), e);
        }
    }

    /**
     * The caller a token names.
     *
     * @throws ProblemException 401 saying what is wrong with the token (never echoing it)
     */
    public Caller verify(String token) {
        if (token.getBytes(StandardCharsets.UTF_8).length > auth.maxTokenBytes()) {
            throw rejected("it is longer than " + auth.maxTokenBytes() + " bytes (auth.jwt.max-token-bytes)");
        }
        try {
            return Caller.subject(processor.process(token, null).getSubject());
        } catch (ParseException e) {
            throw rejected("it is not a JWT (three base64url parts: header, claims, signature)");
        } catch (ExpiredJWTException e) {
            throw rejected("it has expired");
        } catch (BadJOSEException e) {
            throw rejected(reason(e.getMessage()));
        } catch (JOSEException e) {
            throw rejected("it could not be verified (" + plain(e.getMessage()) + ")");
        } catch (RuntimeException e) {
            // Nimbus parses hostile input; whatever it trips on is the token's fault, not a server error.
            throw rejected("it could not be read");
        }
    }

    private static ProblemException rejected(String why) {
        return ProblemException.unauthorized("The caller's token is refused: " + why + ". Send a JWT from the host "
                + "product as 'Authorization: Bearer JWT'");
    }

    private static String reason(String nimbus) {
        String message = nimbus == null ? "" : nimbus;
        if (message.contains("Unsecured")) {
            return "it is unsigned (alg: none); tokens must be signed (RS*, PS* or ES*)";
        }
        if (message.contains("Another algorithm expected")) {
            return "it is not signed with an accepted algorithm (RS*, PS* or ES*) and the configured key";
        }
        if (message.contains("before use time")) {
            return "it is not valid yet (nbf)";
        }
        return plain(message);
    }

    /** Nimbus's reason, which may quote claims the caller chose: one short line, nothing that reads as markup. */
    private static String plain(String message) {
        String line = message == null ? "rejected" : message.replaceAll("[^\\p{Alnum} .,:_()\\-\\[\\]]", " ");
        return line.length() > 160 ? line.substring(0, 160) + "..." : line;
    }
}
