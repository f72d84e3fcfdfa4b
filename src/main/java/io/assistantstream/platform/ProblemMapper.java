package io.assistantstream.platform;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Every error answer is {@code application/problem+json}: the relay's own problems, the framework's (404 for an
 * unknown path, 405, 415 for a body that is not JSON) and, without any internals, whatever else went wrong.
 */
@Provider
public class ProblemMapper implements ExceptionMapper<Throwable> {

    private static final Logger LOG = Logger.getLogger(ProblemMapper.class.getName());

    @Override
    public Response toResponse(Throwable failure) {
        Problem problem;
        if (failure instanceof ProblemException known) {
            Response response = response(known.problem());
            return known.retryAfterSeconds() <= 0 ? response
                    : Response.fromResponse(response).header("Retry-After", known.retryAfterSeconds()).build();
        } else if (failure instanceof WebApplicationException web) {
            Response.StatusType status = web.getResponse().getStatusInfo();
            problem = Problem.of(status.getStatusCode(), status.getReasonPhrase(), describe(status.getStatusCode()));
        } else {
            LOG.log(Level.SEVERE, "Unexpected failure while serving a request", failure);
            problem = Problem.of(500, "Internal Server Error",
                    "The server failed to handle the request; the server log has the details");
        }
        return response(problem);
    }

    public static Response response(Problem problem) {
        Response.ResponseBuilder response = Response.status(problem.status()).type(Problem.MEDIA_TYPE)
                .entity(Json.write(problem));
        if (problem.status() == 401) {
            response.header("WWW-Authenticate", "Bearer realm=\"assistant-stream\"");
        }
        return response.build();
    }

    private static String describe(int status) {
        return switch (status) {
            case 404 -> "There is nothing at this address";
            case 405 -> "This address does not accept that HTTP method";
            case 406 -> "This address cannot answer in the media type asked for";
            case 415 -> "The body must be JSON, sent as Content-Type: application/json";
            default -> "The request could not be served";
        };
    }
}
