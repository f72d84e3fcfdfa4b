package io.assistantstream.platform;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Errors the servlet container answers itself, before any resource runs (a path it cannot decode, a method on a
 * static file), still get a problem+json body instead of the server's HTML page (web.xml maps them here).
 */
@WebServlet("/problem")
public class ErrorPageServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        int status = code instanceof Integer number ? number : HttpServletResponse.SC_BAD_REQUEST;
        Problem problem = Problem.of(status, status >= 500 ? "Internal Server Error" : "Request refused",
                status >= 500 ? "The server failed to handle the request; the server log has the details"
                        : "The server could not accept this request (status " + status + ")");
        response.setStatus(status);
        response.setContentType(Problem.MEDIA_TYPE);
        response.getWriter().write(Json.write(problem));
    }
}
