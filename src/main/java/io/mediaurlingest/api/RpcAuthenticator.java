package io.mediaurlingest.api;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import io.mediaurlingest.ApiFamily;
import io.mediaurlingest.ErrorCode;

/**
 * Checks a call's signature exactly as Alibaba Cloud's SDKs compute it: RPC signature 1.0
 * (HMAC-SHA1 over the sorted, percent-encoded parameters) or ACS3-HMAC-SHA256 (the
 * Authorization header over a canonical request with a hashed payload). Then freshness
 * (Timestamp within 15 minutes), the nonce (once only) and the action's permission.
 */
public final class RpcAuthenticator {

    static final Duration FRESHNESS = Duration.ofMinutes(15);
    private static final String ACS3 = "ACS3-HMAC-SHA256";
    private static final List<String> ACS3_SIGNED_HEADERS = List.of("host", "x-acs-action", "x-acs-date",
            "x-acs-signature-nonce", "x-acs-content-sha256");

    private final AccessKeys keys;
    private final NonceStore nonces;

    public RpcAuthenticator(AccessKeys keys, NonceStore nonces) {
        this.keys = keys;
        this.nonces = nonces;
    }

    public boolean isOpen() {
        return keys.isEmpty();
    }

    /** What a signature is computed over. header() looks a request header up, case-insensitively. */
    public record SignedRequest(String method, String path, Map<String, String> queryParameters,
            Map<String, String> allParameters, Function<String, String> header, byte[] body) {
    }

    /**
     * @return the caller's key, or null when no key is configured (unsigned access)
     */
    public AccessKey authenticate(SignedRequest request, ApiFamily family, String action) {
        if (keys.isEmpty()) {
            return null;
        }
        String authorization = request.header().apply("Authorization");
        AccessKey key;
        String nonce;
        String timestamp;
        if (authorization != null && authorization.startsWith("ACS3-")) {
            key = verifyAcs3(request, authorization);
            nonce = required(request.header().apply("x-acs-signature-nonce"), "x-acs-signature-nonce");
            timestamp = required(request.header().apply("x-acs-date"), "x-acs-date");
            if (!action.equals(request.header().apply("x-acs-action"))) {
                throw new ApiException(ErrorCode.SIGNATURE_DOES_NOT_MATCH, "The signed x-acs-action is not the Action called.");
            }
        } else {
            key = verifyRpcV1(request);
            nonce = required(request.allParameters().get("SignatureNonce"), "SignatureNonce");
            timestamp = required(request.allParameters().get("Timestamp"), "Timestamp");
        }
        Instant time = checkFreshness(timestamp);
        nonces.useOnce(nonce, key.id(), time.plus(FRESHNESS)); // kept while a request of that time is accepted
        if (!key.mayCall(family, action)) {
            throw new ApiException(ErrorCode.FORBIDDEN, "The AccessKey " + key.id() + " may not call "
                    + AccessKey.ramAction(family, action) + ".");
        }
        return key;
    }

    private AccessKey verifyRpcV1(SignedRequest request) {
        Map<String, String> p = request.allParameters();
        String accessKeyId = required(p.get("AccessKeyId"), "AccessKeyId");
        String signature = required(p.get("Signature"), "Signature");
        String method = required(p.get("SignatureMethod"), "SignatureMethod");
        if (!method.equals("HMAC-SHA1")) {
            throw new ApiException(ErrorCode.SIGNATURE_METHOD, "SignatureMethod " + method + " is not supported; use HMAC-SHA1.");
        }
        String version = p.get("SignatureVersion");
        if (version != null && !version.equals("1.0")) {
            throw new ApiException(ErrorCode.SIGNATURE_METHOD, "SignatureVersion " + version + " is not supported; use 1.0.");
        }
        AccessKey key = key(accessKeyId);
        TreeMap<String, String> sorted = new TreeMap<>(p);
        sorted.remove("Signature");
        StringBuilder canonical = new StringBuilder();
        sorted.forEach((k, v) -> canonical.append(canonical.length() == 0 ? "" : "&")
                .append(percentEncode(k)).append('=').append(percentEncode(v == null ? "" : v)));
        String stringToSign = request.method() + "&" + percentEncode("/") + "&" + percentEncode(canonical.toString());
        String expected = Base64.getEncoder().encodeToString(
                hmac("HmacSHA1", (key.secret() + "&").getBytes(StandardCharsets.UTF_8), stringToSign));
        if (!MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), signature.getBytes(StandardCharsets.UTF_8))) {
            throw new ApiException(ErrorCode.SIGNATURE_DOES_NOT_MATCH, "The request signature does not match. "
                    + "Server string to sign is: " + stringToSign);
        }
        return key;
    }

    private AccessKey verifyAcs3(SignedRequest request, String authorization) {
        if (!authorization.startsWith(ACS3 + " ")) {
            throw new ApiException(ErrorCode.SIGNATURE_METHOD, "Only " + ACS3 + " is supported in Authorization.");
        }
        Map<String, String> parts = new TreeMap<>();
        for (String part : authorization.substring(ACS3.length() + 1).split(",")) {
            int eq = part.indexOf('=');
            if (eq > 0) {
                parts.put(part.substring(0, eq).trim(), part.substring(eq + 1).trim());
            }
        }
        String accessKeyId = parts.get("Credential");
        String signedHeaders = parts.get("SignedHeaders");
        String signature = parts.get("Signature");
        if (accessKeyId == null || signedHeaders == null || signature == null) {
            throw new ApiException(ErrorCode.INCOMPLETE_SIGNATURE,
                    "Authorization must carry Credential, SignedHeaders and Signature.");
        }
        AccessKey key = key(accessKeyId);
        checkSignedHeaders(signedHeaders, request);
        String payloadHash = HexFormat.of().formatHex(sha256(request.body()));
        String declaredHash = request.header().apply("x-acs-content-sha256");
        if (!declaredHash.equalsIgnoreCase(payloadHash)) {
            throw new ApiException(ErrorCode.SIGNATURE_DOES_NOT_MATCH, "x-acs-content-sha256 does not match the body.");
        }
        StringBuilder canonicalHeaders = new StringBuilder();
        for (String name : signedHeaders.split(";")) {
            String value = request.header().apply(name);
            canonicalHeaders.append(name.toLowerCase(Locale.ROOT)).append(':').append(value == null ? "" : value.trim())
                    .append('\n');
        }
        TreeMap<String, String> query = new TreeMap<>(request.queryParameters());
        StringBuilder canonicalQuery = new StringBuilder();
        query.forEach((k, v) -> canonicalQuery.append(canonicalQuery.length() == 0 ? "" : "&")
                .append(percentEncode(k)).append('=').append(percentEncode(v == null ? "" : v)));
        String canonicalRequest = request.method() + "\n" + request.path() + "\n" + canonicalQuery + "\n"
                + canonicalHeaders + "\n" + signedHeaders + "\n" + declaredHash;
        String stringToSign = ACS3 + "\n" + HexFormat.of().formatHex(sha256(canonicalRequest.getBytes(StandardCharsets.UTF_8)));
        String expected = HexFormat.of().formatHex(hmac("HmacSHA256", key.secret().getBytes(StandardCharsets.UTF_8), stringToSign));
        if (!MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
                signature.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8))) {
            throw new ApiException(ErrorCode.SIGNATURE_DOES_NOT_MATCH, "The request signature does not match. "
                    + "Server string to sign is: " + stringToSign.replace("\n", "\\n"));
        }
        return key;
    }

    /**
     * The headers an ACS3 signature must cover: what the call does (x-acs-action), where
     * (host), when and once (x-acs-date, x-acs-signature-nonce), with which body
     * (x-acs-content-sha256, content-type when sent). Unsigned, any of them could be changed
     * in a captured request without breaking its signature.
     */
    private static void checkSignedHeaders(String signedHeaders, SignedRequest request) {
        java.util.Set<String> signed = new java.util.HashSet<>();
        for (String name : signedHeaders.split(";")) {
            signed.add(name.trim().toLowerCase(Locale.ROOT));
        }
        List<String> needed = new java.util.ArrayList<>(ACS3_SIGNED_HEADERS);
        if (request.header().apply("content-type") != null) {
            needed.add("content-type");
        }
        for (String name : needed) {
            if (!signed.contains(name)) {
                throw new ApiException(ErrorCode.INCOMPLETE_SIGNATURE, "SignedHeaders must include " + name + ".");
            }
            if (request.header().apply(name) == null) {
                throw ApiException.missing(name);
            }
        }
    }

    private AccessKey key(String accessKeyId) {
        return keys.find(accessKeyId).orElseThrow(() -> new ApiException(ErrorCode.ACCESS_KEY_NOT_FOUND,
                "The AccessKeyId " + accessKeyId + " is not found."));
    }

    private static Instant checkFreshness(String timestamp) {
        Instant time;
        try {
            time = Instant.parse(timestamp);
        } catch (DateTimeParseException e) {
            throw new ApiException(ErrorCode.TIMESTAMP_FORMAT, "The timestamp " + timestamp
                    + " is not an ISO-8601 UTC time such as 2026-11-25T08:00:00Z.");
        }
        if (Duration.between(time, Instant.now()).abs().compareTo(FRESHNESS) > 0) {
            throw new ApiException(ErrorCode.TIMESTAMP_EXPIRED, "The timestamp " + timestamp
                    + " is more than 15 minutes away from the server time " + Instant.now() + ".");
        }
        return time;
    }

    private static String required(String value, String name) {
        if (value == null || value.isEmpty()) {
            throw ApiException.missing(name);
        }
        return value;
    }

    /** RFC 3986 percent-encoding as Alibaba Cloud signs: space %20, * %2A, ~ kept. */
    static String percentEncode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20").replace("*", "%2A").replace("%7E", "~");
    }

    private static byte[] hmac(String algorithm, byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance(algorithm);
            mac.init(new SecretKeySpec(key, algorithm));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data == null ? new byte[0] : data);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
