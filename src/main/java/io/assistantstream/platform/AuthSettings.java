package io.assistantstream.platform;

import com.nimbusds.jose.jwk.JWK;
import java.net.URI;
import java.time.Duration;
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
}
