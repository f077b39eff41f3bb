package io.mediaurlingest.console;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * The web console's static files, served at /console/ on the API's port from the jar (the
 * pages call the same RPC API as any client). Only the files listed here are served; any other
 * path of the port but the API's own "/" answers 404.
 */
public final class ConsoleFiles {

    /** The console's files (name under classpath console/) and their content types. */
    static final Map<String, String> FILES = Map.of(
            "index.html", "text/html; charset=utf-8",
            "app.js", "text/javascript; charset=utf-8",
            "api.js", "text/javascript; charset=utf-8",
            "style.css", "text/css; charset=utf-8");

    /**
     * The page may load its own files and call its own API; covers, downloads and the player read
     * presigned store URLs, which live on the store's origin.
     */
    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; img-src 'self' http: https: data:; "
            + "media-src 'self' http: https:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

    /** Whether an HTTP request is for a path other than the API's "/" (the console's, or none). */
    public boolean isNotTheApi(Exchange exchange) {
        String path = path(exchange);
        return path != null && !path.equals("/") && !path.isEmpty();
    }

    /** Answers a console file, a redirect from /console to /console/, or 404. */
    public void serve(Exchange exchange) throws IOException {
        Message message = exchange.getMessage();
        String path = path(exchange);
        String method = message.getHeader(Exchange.HTTP_METHOD, String.class);
        message.removeHeaders("*");
        message.setBody(null);
        if (path.equals("/console")) {
            message.setHeader(Exchange.HTTP_RESPONSE_CODE, 301);
            message.setHeader("Location", "/console/");
            return;
        }
        String name = path.startsWith("/console/") ? path.substring("/console/".length()) : null;
        if (name != null && name.isEmpty()) {
            name = "index.html";
        }
        String type = name == null ? null : FILES.get(name);
        if (type == null || !("GET".equals(method) || "HEAD".equals(method))) {
            message.setHeader(Exchange.HTTP_RESPONSE_CODE, type == null ? 404 : 405);
            message.setHeader(Exchange.CONTENT_TYPE, "text/plain; charset=utf-8");
            message.setBody(type == null ? "Not found" : "Use GET");
            return;
        }
        try (InputStream in = ConsoleFiles.class.getResourceAsStream("/console/" + name)) {
            if (in == null) {
                throw new IOException("console/" + name + " is missing from the jar");
            }
            message.setBody(in.readAllBytes());
        }
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
        message.setHeader(Exchange.CONTENT_TYPE, type);
        message.setHeader("X-Content-Type-Options", "nosniff");
        message.setHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        message.setHeader("Referrer-Policy", "no-referrer");
    }

    /** The request's path (without its query), or null for an in-process call. */
    private static String path(Exchange exchange) {
        String uri = exchange.getMessage().getHeader(Exchange.HTTP_URI, String.class);
        if (uri == null) {
            return null;
        }
        int query = uri.indexOf('?');
        String path = query < 0 ? uri : uri.substring(0, query);
        if (path.startsWith("http://") || path.startsWith("https://")) {
            int slash = path.indexOf('/', path.indexOf("://") + 3);
            path = slash < 0 ? "/" : path.substring(slash);
        }
        return path;
    }
}
