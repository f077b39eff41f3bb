package io.mediaurlingest.api;

import java.util.Map;

import io.netty.handler.codec.http.HttpRequest;
import org.apache.camel.Exchange;
import org.apache.camel.component.netty.http.DefaultNettyHttpBinding;
import org.apache.camel.component.netty.http.NettyHttpConfiguration;

/**
 * Netty's binding decodes the query into headers and drops the connection when the
 * percent-encoding is broken. This one keeps the request then, with its raw query and its
 * HTTP headers, so that the front door answers a proper InvalidParameter.
 */
public final class LenientNettyHttpBinding extends DefaultNettyHttpBinding {

    @Override
    public void populateCamelHeaders(HttpRequest request, Map<String, Object> headers, Exchange exchange,
            NettyHttpConfiguration configuration) throws Exception {
        try {
            super.populateCamelHeaders(request, headers, exchange, configuration);
        } catch (IllegalArgumentException malformed) {
            String uri = request.uri();
            int q = uri.indexOf('?');
            headers.put(Exchange.HTTP_METHOD, request.method().name());
            headers.put(Exchange.HTTP_URI, uri);
            headers.put(Exchange.HTTP_RAW_QUERY, q < 0 ? "" : uri.substring(q + 1));
            request.headers().forEach(h -> headers.put(h.getKey(), h.getValue()));
        }
    }

    @Override
    public DefaultNettyHttpBinding copy() {
        return new LenientNettyHttpBinding();
    }
}
