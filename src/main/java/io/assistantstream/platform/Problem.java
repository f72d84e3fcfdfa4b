package io.assistantstream.platform;

/**
 * An RFC 9457 problem body. {@code type} is a stable, documented URI-like name so clients can branch on it.
 */
public record Problem(String type, String title, int status, String detail) {

    public static final String MEDIA_TYPE = "application/problem+json";

    public static Problem of(int status, String title, String detail) {
        return new Problem("about:blank", title, status, detail);
    }
}
