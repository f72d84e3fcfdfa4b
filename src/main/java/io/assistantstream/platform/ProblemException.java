package io.assistantstream.platform;

import jakarta.ejb.ApplicationException;

/**
 * A request that cannot be served, with the status and the words the client sees. An application exception, so an
 * EJB rethrows it as it is (and rolls its transaction back) instead of wrapping it in an EJBException: WildFly
 * wraps, and the client would get a 500 instead of this status.
 */
@ApplicationException(rollback = true)
public class ProblemException extends RuntimeException {

    private final int status;
    private final String title;
    private final int retryAfterSeconds;
    private final String quota;

    public ProblemException(int status, String title, String detail) {
        this(status, title, detail, 0);
    }

    private ProblemException(int status, String title, String detail, int retryAfterSeconds) {
        this(status, title, detail, retryAfterSeconds, null);
    }

    private ProblemException(int status, String title, String detail, int retryAfterSeconds, String quota) {
        super(detail);
        this.status = status;
        this.title = title;
        this.retryAfterSeconds = retryAfterSeconds;
        this.quota = quota;
    }

    /** 429 with {@code Retry-After}: the caller spent {@code quota}; it may ask again after that many seconds. */
    public static ProblemException overQuota(String quota, String detail, int retryAfterSeconds) {
        return new ProblemException(429, "Too Many Requests", detail, Math.max(1, retryAfterSeconds), quota);
    }

    /** 401: no caller, or one whose token does not hold. */
    public static ProblemException unauthorized(String detail) {
        return new ProblemException(401, "Unauthorized", detail);
    }

    public static ProblemException forbidden(String detail) {
        return new ProblemException(403, "Forbidden", detail);
    }

    /** 503 with {@code Retry-After}: the request may succeed when repeated after that many seconds. */
    public static ProblemException unavailable(String detail, int retryAfterSeconds) {
        return new ProblemException(503, "Service Unavailable", detail, retryAfterSeconds);
    }

    public static ProblemException badRequest(String detail) {
        return new ProblemException(400, "Bad request", detail);
    }

    public static ProblemException notFound(String detail) {
        return new ProblemException(404, "Not found", detail);
    }

    public static ProblemException conflict(String detail) {
        return new ProblemException(409, "Conflict", detail);
    }

    public Problem problem() {
        return new Problem("about:blank", title, status, getMessage(), quota);
    }

    public int status() {
        return status;
    }

    /** The quota a 429 names, or null. */
    public String quota() {
        return quota;
    }

    /** Seconds for the {@code Retry-After} header, 0 for none. */
    public int retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
