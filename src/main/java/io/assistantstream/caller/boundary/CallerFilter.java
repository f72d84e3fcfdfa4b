package io.assistantstream.caller.boundary;

import io.assistantstream.caller.control.CallerTokens;
import io.assistantstream.caller.entity.Caller;
import io.assistantstream.platform.AuthSettings;
import io.assistantstream.platform.Json;
import io.assistantstream.platform.Problem;
import io.assistantstream.platform.ProblemException;
import jakarta.inject.Inject;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.logging.Logger;

/**
 * Where a request's caller is learnt: a request with a JWT ({@code Authorization: Bearer JWT}, or the
 * {@code authorization} query parameter of a GET, for an EventSource or a WebSocket that cannot set headers) goes
 * on with its verified {@link Caller} in the request attribute {@link #CALLER}; a token that does not verify is
 * answered {@code 401} with a problem body at once; a request without one goes on without a caller, and whatever
 * needs one refuses it. In open mode nothing is read here: the {@code Authorization} header may then carry a
 * session's token, as before callers were known.
 */
@WebFilter(urlPatterns = {"/api/*", "/ws/*"}, asyncSupported = true)
public class CallerFilter extends HttpFilter {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = Logger.getLogger(CallerFilter.class.getName());
    /** The request attribute (a JAX-RS request property too) holding the verified caller. */
    public static final String CALLER = "io.assistantstream.caller";

    @Inject
    transient AuthSettings auth;

    @Inject
    transient CallerTokens tokens;

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        String token = auth.verifiesCallers() ? presentedToken(request) : null;
        if (token != null) {
            try {
                request.setAttribute(CALLER, tokens.verify(token));
            } catch (ProblemException refused) {
                LOG.warning(() -> "Refused a caller's token from " + request.getRemoteAddr() + " on "
                        + request.getMethod() + " " + request.getRequestURI() + ": " + refused.getMessage());
                refuse(response, refused);
                return;
            }
        }
        chain.doFilter(request, response);
    }

    private static String presentedToken(HttpServletRequest request) {
        String header = request.getHeader("Authorization");
        if (header != null) {
            return header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).strip() : header;
        }
        // Only a GET's query is read: asking a POST for a parameter could consume a form body.
        return "GET".equals(request.getMethod()) ? request.getParameter("authorization") : null;
    }

    private static void refuse(HttpServletResponse response, ProblemException refused) throws IOException {
        response.setStatus(401);
        response.setHeader("WWW-Authenticate", "Bearer realm=\"assistant-stream\", error=\"invalid_token\"");
        response.setContentType(Problem.MEDIA_TYPE);
        // Bytes, not a writer: a writer would have the container add a charset to the media type.
        response.getOutputStream().write(Json.write(refused.problem()).getBytes(StandardCharsets.UTF_8));
    }
}
