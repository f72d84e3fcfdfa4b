package io.assistantstream.platform;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads what is left of a request body the application answered without reading (a 405, a 413 past the limit),
 * up to a bound. A client still sending its body does not read the answer until it is done, so an unread body
 * left it waiting; past the bound the connection is closed instead.
 */
@WebFilter(urlPatterns = "/api/*", asyncSupported = true)
public class UnreadBodyDrain extends HttpFilter {

    private static final long serialVersionUID = 1L;
    private static final long DRAIN_LIMIT_BYTES = 1 << 20;

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        long declared = request.getContentLengthLong();
        if (declared > DRAIN_LIMIT_BYTES) {
            response.setHeader("Connection", "close");
        }
        chain.doFilter(request, response);
        if (request.isAsyncStarted() || declared == 0) {
            return;
        }
        try {
            InputStream body = request.getInputStream();
            long drained = 0;
            byte[] sink = new byte[8192];
            for (int read; drained < DRAIN_LIMIT_BYTES && (read = body.read(sink)) != -1; ) {
                drained += read;
            }
        } catch (IOException | IllegalStateException e) {
            // The body was read another way or the client went away: nothing left to drain.
        }
    }
}
