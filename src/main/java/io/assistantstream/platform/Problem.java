package io.assistantstream.platform;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * An RFC 9457 problem body. {@code type} is a stable, documented URI-like name so clients can branch on it;
 * {@code quota} (an extension member) names the quota a {@code 429} was refused by.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, String quota) {

    public static final String MEDIA_TYPE = "application/problem+json";

    public static Problem of(int status, String title, String detail) {
        return new Problem("about:blank", title, status, detail, null);
    }
}
