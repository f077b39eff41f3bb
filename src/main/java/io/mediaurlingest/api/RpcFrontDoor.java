package io.mediaurlingest.api;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mediaurlingest.ApiFamily;
import io.mediaurlingest.Database;
import io.mediaurlingest.ErrorCode;
import io.mediaurlingest.Headers;
import io.mediaurlingest.Ids;
import io.mediaurlingest.Json;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one front door of the API: reads an RPC call (query string and form body), and writes
 * every reply and every error in ICE's shape, with a RequestId.
 */
public final class RpcFrontDoor {

    private static final Logger LOG = LoggerFactory.getLogger(RpcFrontDoor.class);

    private final RpcAuthenticator authenticator;

    public RpcFrontDoor(RpcAuthenticator authenticator) {
        this.authenticator = authenticator;
    }

    /**
     * Body in: the HTTP request (query in CamelHttpQuery, form body), or a Map of parameters
     * from an in-process caller (direct:ice-api), which is trusted and not signed. Body out:
     * the RpcRequest with the caller's AccessKey. Incoming headers are dropped so that none
     * is echoed back as a response header.
     */
    public RpcRequest accept(Exchange exchange) {
        Message in = exchange.getMessage();
        String requestId = Ids.newId().toUpperCase();
        exchange.setProperty(Headers.REQUEST_ID, requestId);
        String method = in.getHeader(Exchange.HTTP_METHOD, String.class);
        Map<String, String> parameters = new LinkedHashMap<>();
        AccessKey caller = null;
        ApiFamily family;
        if (in.getBody() instanceof Map<?, ?> map) {
            map.forEach((k, v) -> parameters.put(String.valueOf(k), v == null ? null : String.valueOf(v)));
            family = family(parameters.get("Version"));
        } else {
            if (method != null && !method.equals("GET") && !method.equals("POST")) {
                throw new ApiException(ErrorCode.METHOD_NOT_ALLOWED, "Use GET or POST.");
            }
            Map<String, String> query = new LinkedHashMap<>();
            // the raw (still percent-encoded) query: Netty gives it as CamelHttpRawQuery
            String rawQuery = in.getHeader(Exchange.HTTP_RAW_QUERY, String.class);
            parseInto(query, rawQuery != null ? rawQuery : in.getHeader(Exchange.HTTP_QUERY, String.class));
            parameters.putAll(query);
            byte[] body = in.getBody(byte[].class);
            String contentType = in.getHeader(Exchange.CONTENT_TYPE, String.class);
            if (body != null && contentType != null
                    && contentType.toLowerCase().startsWith("application/x-www-form-urlencoded")) {
                parseInto(parameters, new String(body, StandardCharsets.UTF_8));
            }
            String action = parameters.getOrDefault("Action", in.getHeader("x-acs-action", String.class));
            // RPC calls name the Version as a parameter, ACS3 calls in the x-acs-version header
            family = family(parameters.getOrDefault("Version", in.getHeader("x-acs-version", String.class)));
            if (action != null && !authenticator.isOpen()) {
                caller = authenticator.authenticate(new RpcAuthenticator.SignedRequest(method == null ? "GET" : method,
                        "/", query, parameters, name -> header(in, name), body), family, action);
            }
            if (action != null) {
                parameters.putIfAbsent("Action", action);
            }
        }
        in.removeHeaders("*");
        checkSizes(parameters);
        String action = parameters.get("Action");
        if (action == null || action.isBlank()) {
            throw ApiException.missing("Action");
        }
        in.setHeader(Headers.ACTION, action);
        in.setHeader(Headers.API_FAMILY, family.name());
        return new RpcRequest(requestId, action, parameters, caller == null ? null : caller.appId(), family);
    }

    private static ApiFamily family(String version) {
        ApiFamily family = ApiFamily.ofVersion(version);
        if (family == null) {
            throw ApiException.invalid("Version " + version + " is not served: use " + ApiFamily.ICE.version()
                    + " (ICE) or " + ApiFamily.VOD.version() + " (ApsaraVideo VOD).");
        }
        return family;
    }

    static final int MAX_PARAMETERS = 64;
    static final int MAX_NAME_LENGTH = 64;
    static final int MAX_VALUE_LENGTH = 200_000;

    private static void checkSizes(Map<String, String> parameters) {
        if (parameters.size() > MAX_PARAMETERS) {
            throw ApiException.invalid("The request has more than " + MAX_PARAMETERS + " parameters.");
        }
        parameters.forEach((name, value) -> {
            if (name.length() > MAX_NAME_LENGTH) {
                throw ApiException.invalid("A parameter name is longer than " + MAX_NAME_LENGTH + " characters.");
            }
            if (value != null && value.length() > MAX_VALUE_LENGTH) {
                throw ApiException.invalid("The parameter " + name + " is longer than " + MAX_VALUE_LENGTH + " characters.");
            }
        });
    }

    /** A request header; Host is filtered out of Camel's headers, so it is taken from the request URL. */
    private static String header(Message in, String name) {
        String value = in.getHeader(name, String.class);
        if (value == null && name.equalsIgnoreCase("host")) {
            String url = in.getHeader(Exchange.HTTP_URL, String.class);
            value = url == null ? null : java.net.URI.create(url).getRawAuthority();
        }
        return value;
    }

    public void unknownAction(RpcRequest request) {
        throw new ApiException(ErrorCode.INVALID_ACTION, "The Action " + request.action() + " is not supported in "
                + request.family() + "'s API (Version " + request.family().version() + ").");
    }

    /** Body in: the action's reply model. Body out: its JSON with RequestId first. */
    public String reply(Exchange exchange) {
        ObjectNode node = Json.MAPPER.createObjectNode();
        node.put("RequestId", exchange.getProperty(Headers.REQUEST_ID, String.class));
        Object body = exchange.getMessage().getBody();
        if (body != null) {
            node.setAll((ObjectNode) Json.MAPPER.valueToTree(body));
        }
        Message out = exchange.getMessage();
        out.removeHeaders("*");
        out.setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
        out.setHeader(Exchange.CONTENT_TYPE, "application/json;charset=utf-8");
        return Json.write(node);
    }

    /** Refusals of who calls (not of what is asked), logged at WARN. */
    private static final java.util.Set<ErrorCode> ACCESS_REFUSALS = java.util.EnumSet.of(ErrorCode.INCOMPLETE_SIGNATURE,
            ErrorCode.SIGNATURE_DOES_NOT_MATCH, ErrorCode.ACCESS_KEY_NOT_FOUND, ErrorCode.TIMESTAMP_EXPIRED,
            ErrorCode.NONCE_USED, ErrorCode.FORBIDDEN);

    /** Turns the caught exception into {"RequestId","Code","Message"} with its HTTP status; never a stack trace. */
    public String error(Exchange exchange) {
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        String requestId = exchange.getProperty(Headers.REQUEST_ID, String.class);
        if (requestId == null) {
            requestId = Ids.newId().toUpperCase();
        }
        ErrorCode code;
        String message;
        if (cause instanceof ApiException api) {
            code = api.errorCode();
            message = api.getMessage();
            if (ACCESS_REFUSALS.contains(code)) {
                // who knocks with a wrong key matters to an operator; the caller's input is not quoted
                LOG.warn("Call refused: {}", code.code());
            }
        } else if (Database.isUnavailable(cause)) {
            code = ErrorCode.SERVICE_UNAVAILABLE;
            message = "The service's database does not answer; nothing was changed. Retry later.";
            LOG.warn("Call answered 503: {}", cause.getMessage());
        } else {
            code = ErrorCode.INTERNAL_ERROR;
            message = "The request failed on the server; quote RequestId " + requestId + ".";
            LOG.error("RequestId {} failed", requestId, cause);
        }
        ObjectNode node = Json.MAPPER.createObjectNode();
        node.put("RequestId", requestId);
        node.put("HostId", "media-url-ingest");
        node.put("Code", code.code());
        // a refusal may quote the caller's input: never echo more than a line of it back
        node.put("Message", message.length() > 600 ? message.substring(0, 600) + "..." : message);
        Message out = exchange.getMessage();
        out.removeHeaders("*");
        out.setHeader(Exchange.HTTP_RESPONSE_CODE, code.httpStatus());
        out.setHeader(Exchange.CONTENT_TYPE, "application/json;charset=utf-8");
        return Json.write(node);
    }

    static void parseInto(Map<String, String> parameters, String encoded) {
        if (encoded == null || encoded.isEmpty()) {
            return;
        }
        for (String pair : encoded.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            parameters.put(name, value);
        }
    }

    private static String decode(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid("The request is not correctly URL-encoded.");
        }
    }
}
