package io.assistantstream.platform;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Who may ask ({@code auth.*}): in {@code jwt} mode (the default) a caller presents a JWT signed by the host
 * product, checked against {@code auth.jwt.issuer}, {@code auth.jwt.audience} and one verification key (a PEM
 * public key, or a JWKS address); in {@code open} mode (the demo) anyone may ask, counted by client address.
 */
public record AuthSettings(Mode mode, Optional<String> issuer, Optional<String> audience, Optional<JWK> publicKey,
                           Optional<URI> jwksUrl, Duration clockSkew, int maxTokenBytes) {

    public enum Mode {
        JWT, OPEN
    }

    public boolean open() {
        return mode == Mode.OPEN;
    }

    /** Whether callers can be verified: jwt mode with an issuer (the settings check guarantees audience and key). */
    public boolean verifiesCallers() {
        return mode == Mode.JWT && issuer.isPresent();
    }

    static AuthSettings read(SettingsReader in) {
        String modeName = in.text("auth.mode", false).orElse("jwt");
        AuthSettings.Mode mode = switch (modeName.toLowerCase(Locale.ROOT)) {
            case "jwt" -> AuthSettings.Mode.JWT;
            case "open" -> AuthSettings.Mode.OPEN;
            default -> {
                in.problems.add("auth.mode=" + modeName + ": must be jwt (callers present a signed JWT) or open "
                        + "(anyone may ask: for a demo)");
                yield AuthSettings.Mode.JWT;
            }
        };
        in.effective.put("auth.mode", mode.name().toLowerCase(Locale.ROOT));
        Optional<String> issuer = in.text("auth.jwt.issuer", false);
        Optional<String> audience = in.text("auth.jwt.audience", false);
        Optional<String> pem = in.text("auth.jwt.public-key", false).map(key -> key.replace("\\n", "\n"));
        Optional<String> jwks = in.text("auth.jwt.jwks-url", false);
        Optional<JWK> key = Optional.empty();
        if (pem.isPresent()) {
            in.effective.put("auth.jwt.public-key", "(set)");
            key = publicKey(pem.get());
            if (key.isEmpty()) {
                in.problems.add("auth.jwt.public-key: must be an RSA or EC public key in PEM "
                        + "(-----BEGIN PUBLIC KEY----- ... -----END PUBLIC KEY-----)");
            }
        }
        Optional<URI> jwksUrl = jwks.flatMap(url -> {
            if (SettingsReader.isHttpUrl(url)) {
                return Optional.of(URI.create(url));
            }
            in.problems.add("auth.jwt.jwks-url=" + url + ": must be an http:// or https:// address");
            return Optional.empty();
        });
        if (mode == AuthSettings.Mode.JWT && issuer.isPresent()) {
            if (audience.isEmpty()) {
                in.problems.add("auth.jwt.audience: required with auth.jwt.issuer (the aud claim callers' tokens carry)");
            }
            if (pem.isPresent() == jwks.isPresent()) {
                in.problems.add("auth.jwt.public-key or auth.jwt.jwks-url: exactly one is required with "
                        + "auth.jwt.issuer (the key that verifies callers' tokens)");
            }
        }
        return SettingsReader.bind(AuthSettings.class, Map.of("mode", mode, "issuer", issuer, "audience", audience,
                "publicKey", key, "jwksUrl", jwksUrl,
                "clockSkew", in.seconds("auth.jwt.clock-skew-seconds", 30, 0, 600),
                "maxTokenBytes", in.integer("auth.jwt.max-token-bytes", 8192, 256, 65_536)));
    }

    /** An X.509 SubjectPublicKeyInfo in PEM (RSA or EC) as a JWK; empty for anything else, a private key too. */
    public static Optional<JWK> publicKey(String pem) {
        String body = pem.replace("-----BEGIN PUBLIC KEY-----", "").replace("-----END PUBLIC KEY-----", "")
                .replaceAll("\\s", "");
        if (!pem.contains("-----BEGIN PUBLIC KEY-----")) {
            return Optional.empty();
        }
        byte[] der;
        try {
            der = Base64.getDecoder().decode(body);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        try {
            PublicKey key = KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(der));
            return Optional.of(new RSAKey.Builder((RSAPublicKey) key).build());
        } catch (GeneralSecurityException notRsa) {
            try {
                ECPublicKey key = (ECPublicKey) KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(der));
                return Optional.of(new ECKey.Builder(Curve.forECParameterSpec(key.getParams()), key).build());
            } catch (GeneralSecurityException | RuntimeException notEc) {
                return Optional.empty();
            }
        }
    }
}
