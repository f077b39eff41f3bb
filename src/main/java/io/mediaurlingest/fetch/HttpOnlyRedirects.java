package io.mediaurlingest.fetch;

import java.net.URI;
import java.util.Locale;

import org.apache.hc.client5.http.impl.DefaultRedirectStrategy;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.ProtocolException;
import org.apache.hc.core5.http.protocol.HttpContext;

/**
 * Follows a redirect only to an http or https URL; any other scheme (file:, ftp:, gopher:,
 * jar:, data:, …) ends the download as refused, whatever a client library might do with it.
 * Each hop's host is still resolved through the address guard.
 */
final class HttpOnlyRedirects extends DefaultRedirectStrategy {

    /** A redirect to a URL that is not http or https. */
    static final class RefusedRedirectException extends ProtocolException {
        RefusedRedirectException(String message) {
            super(message);
        }
    }

    @Override
    public URI getLocationURI(HttpRequest request, HttpResponse response, HttpContext context) throws HttpException {
        URI location = super.getLocationURI(request, response, context);
        String scheme = location.getScheme() == null ? "" : location.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new RefusedRedirectException("The source redirected to a " + (scheme.isEmpty() ? "scheme-less" : scheme + ":")
                    + " URL; only http and https are followed");
        }
        return location;
    }
}
