package io.mediaurlingest.fetch;

import java.net.URI;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.net.URIAuthority;

/**
 * A job's request headers for its source (MediaMetaData SourceHeaders, and the Authorization
 * of a URL's user:password@): which names a caller may give, and adding them to the requests
 * for the source's own origin only. A redirect to another origin (scheme, host or port) goes
 * without them, as curl does without --location-trusted.
 */
public final class SourceHeaders {

    public static final int MAX_HEADERS = 16;
    public static final int MAX_VALUE_LENGTH = 4096;
    /** HttpClientContext attribute carrying a download's SourceHeaders to the request interceptor. */
    static final String ATTRIBUTE = "ingest.sourceHeaders";
    private static final Set<String> NAMED = Set.of("authorization", "cookie", "referer", "user-agent", "accept-language");

    private final String scheme;
    private final String host;
    private final int port;
    private final Map<String, String> headers;
    private final String defaultUserAgent;

    public SourceHeaders(URI source, Map<String, String> headers, String defaultUserAgent) {
        this.scheme = source.getScheme().toLowerCase(Locale.ROOT);
        this.host = source.getHost().toLowerCase(Locale.ROOT);
        this.port = portOf(scheme, source.getPort());
        this.headers = Map.copyOf(headers);
        this.defaultUserAgent = defaultUserAgent;
    }

    /** Authorization, Cookie, Referer, User-Agent, Accept-Language, and X-… names. */
    public static boolean isAllowed(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return NAMED.contains(lower) || (lower.startsWith("x-") && name.matches("[A-Za-z0-9-]{3,64}"));
    }

    /** A value that cannot end the header or start another: printable, no CR, LF or NUL. */
    public static boolean isValidValue(String value) {
        return value.length() <= MAX_VALUE_LENGTH && value.chars().noneMatch(c -> c < 0x20 && c != '\t' || c == 0x7f);
    }

    /** Sets the headers on a request for the source's origin; takes them off a request that left it. */
    void applyTo(HttpRequest request) {
        URIAuthority authority = request.getAuthority();
        String requestScheme = request.getScheme() == null ? scheme : request.getScheme().toLowerCase(Locale.ROOT);
        boolean sameOrigin = authority != null && requestScheme.equals(scheme)
                && authority.getHostName().toLowerCase(Locale.ROOT).equals(host)
                && portOf(requestScheme, authority.getPort()) == port;
        headers.forEach((name, value) -> {
            if (sameOrigin) {
                request.setHeader(name, value);
            } else {
                request.removeHeaders(name); // copied onto the redirect from the first request
                if (name.equalsIgnoreCase("User-Agent")) {
                    request.setHeader("User-Agent", defaultUserAgent);
                }
            }
        });
    }

    private static int portOf(String scheme, int port) {
        return port >= 0 ? port : scheme.equals("https") ? 443 : 80;
    }
}
