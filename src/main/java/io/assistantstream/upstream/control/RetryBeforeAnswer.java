package io.assistantstream.upstream.control;

import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpTimeoutException;

/**
 * The one retry: a question is sent once more, on a fresh connection, when the service hung up before answering
 * at all. A kept-alive connection that the service closes just as it is reused fails that way (the JDK client's
 * "header parser received no bytes"), and the client retries only idempotent requests by itself; as a browser
 * does for a reused connection, the relay asks a second time, since no byte of the answer was read and nothing
 * was relayed yet. A timeout or a refused connection is not retried.
 */
final class RetryBeforeAnswer {

    private RetryBeforeAnswer() {
    }

    static boolean worthRetrying(Throwable failure) {
        return failure instanceof IOException && !(failure instanceof HttpTimeoutException)
                && !(failure instanceof ConnectException);
    }
}
